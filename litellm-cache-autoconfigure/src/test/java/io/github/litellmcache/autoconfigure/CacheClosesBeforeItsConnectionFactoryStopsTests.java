package io.github.litellmcache.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheBackendClosedException;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.near.RedisTracking;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Against a real redis-server, the cache on the application's pooled connection factory (commons-pool2 is on the test
 * classpath, so Spring Boot pools Lettuce's connections): the cache is closed as the context stops, after the calls
 * and before the factory, a lifecycle at phase 0, stops. It gives its connections back in time (the fleet's
 * subscription, the shared reactive connection, the near tier's), so the pool does not warn of unreleased connections.
 */
@ExtendWith(OutputCaptureExtension.class)
class CacheClosesBeforeItsConnectionFactoryStopsTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
            .withPropertyValues(server.applicationConnectionProperties())
            .withPropertyValues("litellm.cache.timeout=5s", "spring.data.redis.lettuce.pool.enabled=true");

    @Test
    void closingTheContextAfterFleetSingleFlightCallsLogsNoWarningAndClosesTheCache(CapturedOutput output) {
        this.contextRunner.run(context -> assertClosesQuietly(context, output));
    }

    @Test
    void closingTheContextWithTheNearTierOnThePooledConnectionLogsNoWarning(CapturedOutput output) {
        this.contextRunner.withPropertyValues("litellm.cache.near.enabled=true").run(context -> {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> server.admin().clientList().contains("name=" + RedisTracking.CLIENT_NAME));
            assertClosesQuietly(context, output);
        });
    }

    /** Without a shared native connection, the cache's reactive connection is one of the pool's too. */
    @Test
    void closingTheContextWithoutASharedNativeConnectionLogsNoWarning(CapturedOutput output) {
        this.contextRunner.withUserConfiguration(UnsharedNativeConnection.class).run(context -> {
            for (int i = 0; i < 20; i++) {
                context.getBean(CompletionService.class).completion(question("asked on a pooled connection " + i));
            }
            assertClosesQuietly(context, output);
        });
    }

    /**
     * A stopped context started again caches again, on a new backend: the one it stopped with is closed. Each closes
     * right after its first call, while its fleet subscription is being made, and waits for it before ending it.
     */
    @Test
    void aStopAndStartOfTheContextLeavesCachingWorking(CapturedOutput output) {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            service.completion(question("asked before the stop"));
            CacheBackend stopped = cache.backend();

            context.stop();
            context.start();

            assertRefuses(stopped);
            assertThat(service.completion(question("asked before the stop")).cacheHit())
                    .isTrue();
            assertThat(service.completion(question("asked after the start")).cacheHit())
                    .isFalse();
            assertThat(service.completion(question("asked after the start")).cacheHit())
                    .isTrue();
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
        assertThat(output.getAll()).doesNotContain("WARN", "ERROR");
    }

    @Test
    void anApplicationsOwnLifecycleReplacesTheCachesOne() {
        this.contextRunner
                .withUserConfiguration(OwnLifecycle.class)
                .run(context ->
                        assertThat(context.getBean(LlmCacheLifecycle.class)).isSameAs(context.getBean("ownLifecycle")));
    }

    private void assertClosesQuietly(ConfigurableApplicationContext context, CapturedOutput output) {
        CompletionService service = context.getBean(CompletionService.class);
        assertThat(service.completion(question("asked once")).cacheHit()).isFalse();
        assertThat(service.completion(question("asked once")).cacheHit()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> subscribers("litellm:done") == 1);
        CacheBackend backend = context.getBean(LlmCache.class).backend();
        int logged = output.getAll().length();

        context.close();

        assertThat(output.getAll().substring(logged))
                .doesNotContain("unreleased connections")
                .doesNotContain("WARN", "ERROR");
        assertRefuses(backend);
    }

    private static void assertRefuses(CacheBackend backend) {
        assertThatExceptionOfType(CacheBackendClosedException.class)
                .isThrownBy(() -> backend.get(new CacheKey(null, "read after the close")));
    }

    private static long subscribers(String channel) {
        return server.admin().pubsubNumsub(channel).get(channel);
    }

    @Configuration(proxyBeanMethods = false)
    static class UnsharedNativeConnection {

        @Bean
        static BeanPostProcessor unsharedNativeConnection() {
            return new BeanPostProcessor() {

                @Override
                public Object postProcessBeforeInitialization(Object bean, String beanName) {
                    if (bean instanceof LettuceConnectionFactory factory) {
                        factory.setShareNativeConnection(false);
                    }
                    return bean;
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnLifecycle {

        @Bean
        LlmCacheLifecycle ownLifecycle(LlmCache cache) {
            return new LlmCacheLifecycle(cache);
        }
    }
}
