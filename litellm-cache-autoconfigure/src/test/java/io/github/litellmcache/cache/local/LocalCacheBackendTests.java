package io.github.litellmcache.cache.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.AbstractCacheBackendContractTests;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheKey;
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
}
