package io.github.litellmcache.compatibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The starter's Redis cache in an application on Spring Boot 4.1, through the application's own connection factory
 * ({@code spring.data.redis.*}, with {@code spring-boot-starter-data-redis} as the README tells a user to add it), on
 * a redis-server of the class's own.
 */
class RedisCacheOnSpringBoot41Tests extends StarterOnSpringBoot41 {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @BeforeAll
    static void startOnRedis() {
        start(redis.applicationConnectionProperties());
    }

    @Test
    void aChatAnswerIsStoredAsAKeyInRedis() {
        llm().completion(question());

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(redis.admin().keys("*")).isNotEmpty());
    }
}
