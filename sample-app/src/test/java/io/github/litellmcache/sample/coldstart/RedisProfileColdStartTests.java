package io.github.litellmcache.sample.coldstart;

import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.testsupport.RedisServer;
import java.util.List;

/**
 * The quick start with the sample app's {@code redis} profile: the application's connection
 * ({@code spring.data.redis.*}) from {@code REDIS_HOST}, {@code REDIS_PORT} and {@code REDIS_PASSWORD}.
 */
class RedisProfileColdStartTests extends QuickStartAfterColdStart {

    private static final String PASSWORD = "cold-start-secret";

    private static final RedisServer redis = closedAfterAll(RedisServer.launch("--requirepass", PASSWORD));

    @Override
    CacheType backend() {
        return CacheType.REDIS;
    }

    @Override
    List<String> profiles() {
        return List.of("redis");
    }

    @Override
    List<String> arguments() {
        return List.of("--REDIS_HOST=127.0.0.1", "--REDIS_PORT=" + redis.port(), "--REDIS_PASSWORD=" + PASSWORD);
    }
}
