package io.github.litellmcache.cache.near;

import io.github.litellmcache.cache.AbstractCacheBackendContractTests;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.NearCacheSettings;
import io.github.litellmcache.cache.local.LocalCacheBackend;

/** A near tier in front of a store is held to the contract of every backend, as its store is. */
class NearCacheBackendContractTests extends AbstractCacheBackendContractTests {

    @Override
    protected CacheBackend createBackend() {
        return NearCacheBackend.bounded(
                new LocalCacheBackend(10_000),
                new NearCacheSettings(true, NearCacheSettings.DEFAULT_MAX_MEMORY, NearCacheSettings.DEFAULT_TTL));
    }
}
