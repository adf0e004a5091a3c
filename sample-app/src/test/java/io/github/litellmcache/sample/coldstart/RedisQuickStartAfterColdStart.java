package io.github.litellmcache.sample.coldstart;

import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.testsupport.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The quick start on a redis-server of the class's own that asks for {@link #PASSWORD}. */
abstract class RedisQuickStartAfterColdStart extends QuickStartAfterColdStart {

    static final String PASSWORD = "cold-start-secret";

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension("--requirepass", PASSWORD);

    @Override
    CacheType backend() {
        return CacheType.REDIS;
    }
}
