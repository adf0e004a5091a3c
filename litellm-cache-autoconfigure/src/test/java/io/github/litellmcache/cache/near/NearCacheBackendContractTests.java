package io.github.litellmcache.cache.near;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.AbstractCacheBackendContractTests;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.LocalBackedBackend;
import io.github.litellmcache.cache.NearCacheSettings;
import io.github.litellmcache.cache.local.LocalCacheBackend;
import org.junit.jupiter.api.Test;

/** A near tier in front of a store is held to the contract of every backend, as its store is. */
class NearCacheBackendContractTests extends AbstractCacheBackendContractTests {

    @Override
    protected CacheBackend createBackend() {
        return nearTier(new LocalCacheBackend(10_000));
    }

    @Test
    void theNearTierBatchesBulkOperationsAsItsStoreDoes() {
        CacheBackend store = new LocalBackedBackend("remote", false) {
            @Override
            public int bulkBatchSize() {
                return 128;
            }
        };
        assertThat(nearTier(store).bulkBatchSize()).isEqualTo(128);
    }

    private static CacheBackend nearTier(CacheBackend store) {
        return NearCacheBackend.bounded(
                store,
                new NearCacheSettings(true, NearCacheSettings.DEFAULT_MAX_MEMORY, NearCacheSettings.DEFAULT_TTL));
    }
}
