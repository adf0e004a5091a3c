package io.github.litellmcache.sample.coldstart;

import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.testsupport.RedisServer;
import java.util.List;

/** The quick start on Redis through a dedicated connection with a password ({@code litellm.cache.redis.*}). */
class RedisDedicatedConnectionColdStartTests extends QuickStartAfterColdStart {

    private static final String PASSWORD = "cold-start-secret";

    private static final RedisServer redis = closedAfterAll(RedisServer.launch("--requirepass", PASSWORD));

    @Override
    CacheType backend() {
        return CacheType.REDIS;
    }

    @Override
    List<String> arguments() {
        return List.of(
                "--litellm.cache.type=redis",
                "--litellm.cache.redis.host=127.0.0.1",
                "--litellm.cache.redis.port=" + redis.port(),
                "--litellm.cache.redis.password=" + PASSWORD);
    }
}
