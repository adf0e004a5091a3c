package io.github.litellmcache.cache.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.actuate.MicrometerCacheMetrics;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheStatistics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Reads that the circuit breaker skips after repeated failures are counted as errors but never timed:
 * they take no time, and timing them would show a store that is down as the fastest one.
 */
class SkippedOperationsAreNotTimedTests {

    private static final CacheKey KEY = new CacheKey(null, "k");

    @Test
    void readsSkippedByTheOpenBreakerCountAsErrorsButAddNoLatency() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerCacheMetrics metrics = new MicrometerCacheMetrics();
        metrics.bindTo(registry);
        CacheStatistics statistics = new CacheStatistics();
        GuardedBackend guard = new GuardedBackend(
                new UnreachableBackend(), Duration.ofSeconds(2), Duration.ofHours(1), List.of(metrics, statistics));
        int attempted = 0;
        while (guard.isAvailable()) {
            guard.read(KEY, CallMode.BLOCKING);
            attempted++;
        }
        for (int i = 0; i < 20; i++) {
            guard.read(KEY, CallMode.BLOCKING);
        }

        assertThat(registry.get(MicrometerCacheMetrics.LATENCY).timer().count())
                .as("reads sent to the store")
                .isEqualTo(attempted);
        assertThat(registry.get(MicrometerCacheMetrics.ERRORS).counter().count())
                .isEqualTo(attempted + 20);
        assertThat(statistics.counts().errors()).isEqualTo(attempted + 20);
    }

    /** A remote store whose every operation fails as one that refuses connections. */
    private static final class UnreachableBackend implements CacheBackend {

        @Override
        public String name() {
            return "unreachable";
        }

        @Override
        public @Nullable CacheEntry get(CacheKey key) {
            throw new UncheckedIOException(new ConnectException("Connection refused"));
        }

        @Override
        public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
            throw new UncheckedIOException(new ConnectException("Connection refused"));
        }

        @Override
        public void clear() {}
    }
}
