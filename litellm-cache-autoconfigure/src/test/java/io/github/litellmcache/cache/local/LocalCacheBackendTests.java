package io.github.litellmcache.cache.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.AbstractCacheBackendContractTests;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.LocalLimits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalCacheBackendTests extends AbstractCacheBackendContractTests {

    @Override
    protected CacheBackend createBackend() {
        return new LocalCacheBackend(1_000);
    }

    @Test
    void maximumSizeBoundsTheNumberOfEntries() {
        LocalCacheBackend small = new LocalCacheBackend(10);
        for (int i = 0; i < 100; i++) {
            small.put(key(null), entry("v" + i), null);
        }
        assertThat(small.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void zeroMaximumSizeKeepsNothing() {
        LocalCacheBackend none = new LocalCacheBackend(0);
        CacheKey key = key(null);
        none.put(key, entry("v"), null);
        assertThat(none.size()).isZero();
    }

    @Test
    void anEntryPastItsTtlIsNeitherServedNorKeptWhileOneWithoutTtlStays() {
        AtomicLong nanos = new AtomicLong();
        LocalCacheBackend backend = new LocalCacheBackend(new LocalLimits(1_000), nanos::get);
        CacheKey expiring = key(null);
        CacheKey lasting = key(null);
        backend.put(expiring, entry("expiring"), Duration.ofSeconds(10));
        backend.put(lasting, entry("lasting"), null);

        nanos.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(backend.get(expiring)).isNotNull();
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(backend.get(expiring)).isNull();
        assertThat(backend.getAll(List.of(expiring, lasting))).containsOnlyKeys(lasting);
        assertThat(backend.size()).isEqualTo(1);
        nanos.addAndGet(Duration.ofDays(3650).toNanos());
        assertThat(backend.get(lasting)).isNotNull();
    }

    @Test
    void anEntryExpiresAtTheEndOfItsTtlWhenTheTickerPassesLongMaxValue() {
        AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - Duration.ofMinutes(1).toNanos());
        LocalCacheBackend backend = new LocalCacheBackend(new LocalLimits(1_000), nanos::get);
        CacheKey key = key(null);
        backend.put(key, entry("expiring"), Duration.ofMinutes(10));

        nanos.addAndGet(Duration.ofMinutes(9).toNanos());
        assertThat(backend.get(key)).isNotNull();
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());

        assertThat(backend.get(key)).isNull();
    }

    @Test
    void aTtlTooLongForNanosecondsKeepsTheEntry() {
        AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - Duration.ofMinutes(1).toNanos());
        LocalCacheBackend backend = new LocalCacheBackend(new LocalLimits(1_000), nanos::get);
        CacheKey key = key(null);
        backend.put(key, entry("lasting"), Duration.ofSeconds(Long.MAX_VALUE));

        nanos.addAndGet(Duration.ofDays(3650).toNanos());

        assertThat(backend.get(key)).isNotNull();
    }
}
