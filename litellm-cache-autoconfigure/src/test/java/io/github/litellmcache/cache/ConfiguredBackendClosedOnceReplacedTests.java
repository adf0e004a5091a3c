package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.local.LocalCacheBackend;
import io.github.litellmcache.cache.near.NearCacheBackend;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The backend that {@code litellm.cache.*} configured at startup is closed once {@link LlmCache#update} has replaced
 * it, as the backends that {@code update} creates are: its connections, subscriptions and entries do not outlive it.
 * An application's own backend bean is left to the application.
 */
class ConfiguredBackendClosedOnceReplacedTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension left = new RedisServerExtension();

    @RegisterExtension
    static final RedisServerExtension joined = new RedisServerExtension();

    @RegisterExtension
    static final S3ProxyServerExtension s3 = S3ProxyServerExtension.withBucket("replaced");

    @Test
    void theConfiguredLocalBackendLetsGoOfItsEntriesOnceUpdateReplacesIt() {
        applicationRunner().run(context -> {
            LlmCache cache = context.getBean(LlmCache.class);
            LocalCacheBackend configured = (LocalCacheBackend) cache.backend();
            context.getBean(CompletionService.class).completion(question("q"));
            assertThat(configured.size()).isOne();
            cache.update(cache.settings().toBuilder().local(new LocalLimits(5)).build());
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(configured.size()).isZero());
        });
    }

    @Test
    void theConfiguredNearTierOverS3LetsGoOfItsEntriesOnceUpdateReplacesIt() {
        applicationRunner()
                .withPropertyValues(s3.cacheProperties())
                .withPropertyValues("litellm.cache.timeout=5s", "litellm.cache.near.enabled=true")
                .run(context -> {
                    LlmCache cache = context.getBean(LlmCache.class);
                    NearCacheBackend configured = (NearCacheBackend) cache.backend();
                    ChatCompletion answer =
                            context.getBean(CompletionService.class).completion(question("q"));
                    CacheKey key = new CacheKey(null, answer.cacheKey());
                    assertThat(configured.nearEntry(key))
                            .as("filled by the write")
                            .isNotNull();
                    cache.update(CacheSettings.defaults());
                    await().atMost(Duration.ofSeconds(10))
                            .untilAsserted(() -> assertThat(configured.nearTierBytes())
                                    .as("the memory of the near tier that the context still holds")
                                    .isZero());
                    assertThat(configured.nearEntry(key)).isNull();
                });
    }

    @Test
    void noConnectionToTheRedisThatUpdateLeftRemains() {
        applicationRunner()
                .withPropertyValues(left.cacheProperties())
                .withPropertyValues("litellm.cache.near.enabled=true")
                .run(context -> {
                    LlmCache cache = context.getBean(LlmCache.class);
                    context.getBean(CompletionService.class).completion(question("q"));
                    await().atMost(Duration.ofSeconds(10))
                            .untilAsserted(() -> assertThat(clientsOtherThanAdmin(left))
                                    .as("the data, tracking and lease-channel connections")
                                    .isGreaterThanOrEqualTo(3));
                    RedisConnection redis = cache.settings().redis();
                    cache.update(cache.settings().toBuilder()
                            .redis(new RedisConnection(redis.host(), joined.port(), null, redis.keyPrefix()))
                            .build());
                    context.getBean(CompletionService.class).completion(question("q"));
                    await().atMost(Duration.ofSeconds(10))
                            .untilAsserted(() -> assertThat(clientsOtherThanAdmin(left))
                                    .as("connections to the Redis the cache left")
                                    .isZero());
                    assertThat(clientsOtherThanAdmin(joined)).isPositive();
                });
    }

    @Test
    void anApplicationsOwnBackendKeepsItsEntriesWhenUpdateReplacesIt() {
        applicationRunner().withUserConfiguration(OwnBackend.class).run(context -> {
            LocalCacheBackend own = context.getBean(LocalCacheBackend.class);
            LlmCache cache = context.getBean(LlmCache.class);
            context.getBean(CompletionService.class).completion(question("q"));
            cache.update(cache.settings().toBuilder().local(new LocalLimits(5)).build());
            context.getBean(CompletionService.class).completion(question("q"));
            assertThat(own.size()).as("the application's backend, not closed").isOne();
        });
    }

    private static long clientsOtherThanAdmin(RedisServerExtension server) {
        return server.admin().clientList().lines().count() - 1;
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBackend {

        @Bean
        LocalCacheBackend ownBackend() {
            return new LocalCacheBackend(100);
        }
    }
}
