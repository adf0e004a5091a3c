package io.github.litellmcache.sample.coldstart;

import java.util.List;

/**
 * The quick start with the sample app's {@code redis} profile: the application's connection
 * ({@code spring.data.redis.*}) from {@code REDIS_HOST}, {@code REDIS_PORT} and {@code REDIS_PASSWORD}.
 */
class RedisProfileColdStartTests extends RedisQuickStartAfterColdStart {

    @Override
    List<String> profiles() {
        return List.of("redis");
    }

    @Override
    List<String> arguments() {
        return List.of("--REDIS_HOST=127.0.0.1", "--REDIS_PORT=" + redis.port(), "--REDIS_PASSWORD=" + PASSWORD);
    }
}
