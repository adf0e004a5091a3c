package io.github.litellmcache.usertests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code spring.main.lazy-initialization=true}: the quick start still misses then hits, on the local cache and on
 * Redis, and closing the application still closes the cache's connections.
 */
class LazyInitializationTests extends ApplicationStartedInTheTest {

    private static final String LAZY = "spring.main.lazy-initialization=true";

    @Test
    void quickStartOnTheLocalCache() {
        try (ConfigurableApplicationContext application = start(LAZY, "litellm.cache.type=local")) {
            askTwice(application, "France");
        }
    }

    @Test
    void quickStartOnRedisThroughTheApplicationsConnection() {
        long before = redisClients();
        try (ConfigurableApplicationContext application =
                start(onRedis(redis.applicationConnectionProperties(), LAZY))) {
            askTwice(application, "France");
            assertThat(redisClients()).isGreaterThan(before);
        }
        awaitRedisClientsBackTo(before);
    }
}
