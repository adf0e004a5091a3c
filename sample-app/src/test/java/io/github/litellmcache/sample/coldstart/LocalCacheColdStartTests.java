package io.github.litellmcache.sample.coldstart;

import io.github.litellmcache.cache.CacheType;
import java.util.List;

/** The quick start on the sample app's default configuration: the local (Caffeine) cache. */
class LocalCacheColdStartTests extends QuickStartAfterColdStart {

    @Override
    CacheType backend() {
        return CacheType.LOCAL;
    }

    @Override
    List<String> profiles() {
        return List.of();
    }

    @Override
    List<String> arguments() {
        return List.of();
    }
}
