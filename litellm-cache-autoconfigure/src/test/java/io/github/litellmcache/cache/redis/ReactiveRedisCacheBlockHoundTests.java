package io.github.litellmcache.cache.redis;

import io.github.litellmcache.cache.AbstractRemoteCacheBackendBlockHoundTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The reactive calls on the Redis backend never block a non-blocking thread (Reactor's parallel threads, Netty's and
 * Lettuce's event loops). Its name does not start with Redis, so that {@code -Dtest='Redis*'} leaves it to the
 * BlockHound execution.
 */
class ReactiveRedisCacheBlockHoundTests extends AbstractRemoteCacheBackendBlockHoundTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withPropertyValues(server.cacheProperties())
            .withPropertyValues("litellm.cache.timeout=2s");

    @BeforeAll
    static void installBlockHoundOnceRedisRuns() {
        installBlockHound();
    }

    @Override
    protected ApplicationContextRunner storeRunner() {
        return this.contextRunner;
    }
}
