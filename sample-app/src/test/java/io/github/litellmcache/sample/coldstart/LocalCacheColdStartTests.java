package io.github.litellmcache.sample.coldstart;

import io.github.litellmcache.cache.CacheType;

/** The quick start on the sample app's default configuration: the local (Caffeine) cache. */
class LocalCacheColdStartTests extends QuickStartAfterColdStart {

    @Override
    CacheType backend() {
        return CacheType.LOCAL;
    }
}
