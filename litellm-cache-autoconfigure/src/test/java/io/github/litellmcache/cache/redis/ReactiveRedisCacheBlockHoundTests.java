package io.github.litellmcache.cache.redis;

import io.github.litellmcache.cache.AbstractRemoteCacheBackendBlockHoundTests;
import io.github.litellmcache.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The reactive calls on the Redis backend never block a non-blocking thread (Reactor's parallel threads, Netty's and
 * Lettuce's event loops). Its name does not start with Redis, so that {@code -Dtest='Redis*'} leaves it to the
 * BlockHound execution.
 */
class ReactiveRedisCacheBlockHoundTests extends AbstractRemoteCacheBackendBlockHoundTests {

    private static RedisServer server;

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withPropertyValues(
                    "litellm.cache.type=redis",
                    "litellm.cache.timeout=2s",
                    "litellm.cache.redis.host=127.0.0.1",
                    "litellm.cache.redis.port=" + server.port());

    @BeforeAll
    static void startRedisAndInstallBlockHound() {
        server = RedisServer.launch();
        installBlockHound();
    }

    @AfterAll
    static void stopRedis() {
        server.close();
    }

    @Override
    protected ApplicationContextRunner storeRunner() {
        return this.contextRunner;
    }
}
