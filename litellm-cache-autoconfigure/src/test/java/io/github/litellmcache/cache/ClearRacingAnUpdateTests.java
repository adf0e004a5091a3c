package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An {@link LlmCache#update} that makes another backend current while a {@link LlmCache#clear()} runs: once the clear
 * has returned, the backend current then was cleared, not only the one current when the clear began.
 */
class ClearRacingAnUpdateTests {

    private static final CacheKey KEY = new CacheKey(null, "an old answer");

    @Test
    void aClearRacingAnUpdateEmptiesTheNewBackend() throws Exception {
        HeldClear first = new HeldClear();
        LocalBackedBackend next = new LocalBackedBackend("next");
        next.put(KEY, CacheEntries.answering("an old answer"), null);
        try (LlmCache cache = new LlmCache(CacheSettings.defaults(), true, first, true, settings -> next)) {
            CompletableFuture<Void> clear = CompletableFuture.runAsync(cache::clear);
            assertThat(first.clearing.await(10, TimeUnit.SECONDS)).isTrue();

            cache.update(cache.settings().toBuilder().local(new LocalLimits(2)).build());
            first.release.countDown();
            clear.get(10, TimeUnit.SECONDS);

            assertThat(cache.backend()).isSameAs(next);
            assertThat(next.get(KEY))
                    .as("the entry of the backend current once the clear returned")
                    .isNull();
        }
    }

    /** A backend whose clear waits until the test releases it; it tells when the clear began. */
    private static final class HeldClear extends LocalBackedBackend {

        final CountDownLatch clearing = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        HeldClear() {
            super("held clear");
        }

        @Override
        public void clear() {
            this.clearing.countDown();
            try {
                this.release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            super.clear();
        }
    }
}
