package io.github.litellmcache.cache.near;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheEntries;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.LocalBackedBackend;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * A remote read that an invalidation, a reconnection or a clear overtakes before its answer fills the near tier
 * leaves nothing there: the answer it read may be the value the invalidation replaced, and the near tier would serve
 * it until evicted. The read itself still answers its caller.
 */
class NearTierFillOvertakenTests {

    private static final CacheKey KEY = new CacheKey("tenant", "question");

    private final PausedRemote remote = new PausedRemote();

    private @Nullable NearEntries entries;

    private final NearCacheBackend near = new NearCacheBackend(remote, DataSize.ofMegabytes(1), null, tracked -> {
        tracked.resume(tracked.suspensions());
        this.entries = tracked;
        return () -> {};
    });

    @Test
    void anInvalidationDuringTheRemoteReadKeepsItsAnswerOutOfTheNearTier() throws Exception {
        assertOvertakenReadLeavesNothing(entries -> entries.invalidate(KEY.qualified()));
    }

    @Test
    void aReconnectionDuringTheRemoteReadKeepsItsAnswerOutOfTheNearTier() throws Exception {
        assertOvertakenReadLeavesNothing(entries -> {
            entries.suspend();
            entries.resume(entries.suspensions());
        });
    }

    @Test
    void aClearDuringTheRemoteReadKeepsItsAnswerOutOfTheNearTier() throws Exception {
        assertOvertakenReadLeavesNothing(entries -> this.near.clear());
    }

    @Test
    void aReadThatNothingOvertakesFillsTheNearTier() throws Exception {
        assertOvertakenReadLeaves(entries -> {}, true);
    }

    private void assertOvertakenReadLeavesNothing(Consumer<NearEntries> overtaking) throws Exception {
        assertOvertakenReadLeaves(overtaking, false);
    }

    private void assertOvertakenReadLeaves(Consumer<NearEntries> overtaking, boolean filled) throws Exception {
        CacheEntry old = CacheEntries.answering("the value Redis held when the read reached it");
        this.remote.put(KEY, old, null);
        CompletableFuture<CacheEntry> read = CompletableFuture.supplyAsync(() -> this.near.get(KEY));
        assertThat(this.remote.reading.await(10, TimeUnit.SECONDS)).isTrue();

        overtaking.accept(this.entries);
        this.remote.proceed.countDown();

        assertThat(read.get(10, TimeUnit.SECONDS)).as("the read's own answer").isSameAs(old);
        if (filled) {
            assertThat(this.near.nearEntry(KEY)).isSameAs(old);
        } else {
            assertThat(this.near.nearEntry(KEY)).as("kept in the near tier").isNull();
        }
    }

    /** Entries in memory, whose first read waits, once it has begun, until the test lets it answer. */
    private static final class PausedRemote extends LocalBackedBackend {

        final CountDownLatch reading = new CountDownLatch(1);

        final CountDownLatch proceed = new CountDownLatch(1);

        PausedRemote() {
            super("paused", false);
        }

        @Override
        public @Nullable CacheEntry get(CacheKey key) {
            CacheEntry entry = this.local.get(key);
            this.reading.countDown();
            try {
                this.proceed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return entry;
        }
    }
}
