package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A factory may give {@link LlmCache#update} back a backend the cache used before, such as one of two backends an
 * application switches between, while a call begun on it still holds it: that call's release ends its own hold, and
 * later calls acquire the backend as usual; the backend is closed only once it is replaced and unused.
 */
class BackendSwitchedBackWhileHeldTests {

    private final LocalBackedBackend first = new LocalBackedBackend("first");

    private final LocalBackedBackend second = new LocalBackedBackend("second");

    private final LlmCache cache = new LlmCache(
            limits(1),
            true,
            this.first,
            true,
            settings -> (settings.local().maximumSize() == 1) ? this.first : this.second);

    @Test
    void aCallHeldAcrossASwitchAwayAndBackReleasesItsHoldAndLaterCallsAcquireTheBackend() throws Exception {
        LlmCache.State held = this.cache.acquire();
        this.cache.update(limits(2));
        this.cache.update(limits(1));

        this.cache.release(held);

        CompletableFuture<LlmCache.State> later = CompletableFuture.supplyAsync(this.cache::acquire);
        assertThat(later.get(10, TimeUnit.SECONDS).backend()).isSameAs(this.first);
        this.cache.release(later.get());
        assertThat(this.first.closed).as("the backend in use, closed").isFalse();
        this.cache.update(limits(2));
        await().atMost(Duration.ofSeconds(10))
                .alias("replaced and unused, closed")
                .until(() -> this.first.closed);
    }

    private static CacheSettings limits(long maximumSize) {
        return CacheSettings.defaults().toBuilder()
                .local(new LocalLimits(maximumSize))
                .build();
    }
}
