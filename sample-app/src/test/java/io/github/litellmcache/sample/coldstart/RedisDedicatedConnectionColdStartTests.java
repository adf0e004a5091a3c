package io.github.litellmcache.sample.coldstart;

import java.util.List;

/** The quick start on Redis through a dedicated connection with a password ({@code litellm.cache.redis.*}). */
class RedisDedicatedConnectionColdStartTests extends RedisQuickStartAfterColdStart {

    @Override
    List<String> arguments() {
        return List.of(
                "--litellm.cache.type=redis",
                "--litellm.cache.redis.host=127.0.0.1",
                "--litellm.cache.redis.port=" + redis.port(),
                "--litellm.cache.redis.password=" + PASSWORD);
    }
}
