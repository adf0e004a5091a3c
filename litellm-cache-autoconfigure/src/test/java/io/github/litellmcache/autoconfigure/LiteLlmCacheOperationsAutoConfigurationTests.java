package io.github.litellmcache.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.actuate.CacheStateMetrics;
import io.github.litellmcache.actuate.LlmCacheEndpoint;
import io.github.litellmcache.actuate.LlmCacheHealthIndicator;
import io.github.litellmcache.actuate.MicrometerCacheMetrics;
import io.github.litellmcache.cache.CacheRecorder;
import io.github.litellmcache.cache.CacheStatistics;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.Timeouts;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The operations auto-configurations (metrics, the {@code litellmcache} endpoint, the
 * {@code litellmCache} health contributor): when each applies, that each backs off, and that the
 * starter works without Actuator and without Micrometer metrics.
 */
class LiteLlmCacheOperationsAutoConfigurationTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withConfiguration(AutoConfigurations.of(
                    MetricsAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class,
                    HealthContributorRegistryAutoConfiguration.class,
                    LiteLlmCacheMetricsAutoConfiguration.class,
                    LiteLlmCacheEndpointAutoConfiguration.class,
                    LiteLlmCacheHealthAutoConfiguration.class))
            .withUserConfiguration(SimpleRegistryConfiguration.class)
            .withPropertyValues("management.endpoints.web.exposure.include=litellmcache");

    private static void assertCallsAreCached(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        CompletionService service = context.getBean(CompletionService.class);
        ChatCompletionRequest request = question("q");
        service.completion(request);
        assertThat(service.completion(request).cacheHit()).isTrue();
        assertThat(context.getBean(CacheStatistics.class).counts().hits()).isEqualTo(1);
    }

    @Test
    void registersMetricsEndpointAndHealthContributor() {
        this.contextRunner.run(context -> {
            assertThat(context).hasSingleBean(MicrometerCacheMetrics.class);
            assertThat(context.getBean(MicrometerCacheMetrics.class))
                    .isInstanceOf(MeterBinder.class)
                    .isInstanceOf(CacheRecorder.class);
            assertThat(context).hasSingleBean(CacheStateMetrics.class);
            assertThat(context).hasSingleBean(LlmCacheEndpoint.class);
            assertThat(context).hasBean("litellmCacheHealthIndicator");
            assertCallsAreCached(context);
            assertThat(context.getBean(MeterRegistry.class)
                            .get(MicrometerCacheMetrics.REQUESTS)
                            .tag("result", "hit")
                            .tag("call.type", "completion")
                            .counter()
                            .count())
                    .isEqualTo(1);
        });
    }

    @Test
    void healthContributorIsNamedLitellmCache() {
        this.contextRunner.run(context -> {
            HealthIndicator contributor = (HealthIndicator)
                    context.getBean(HealthContributorRegistry.class).getContributor("litellmCache");
            assertThat(contributor).isInstanceOf(LlmCacheHealthIndicator.class);
            assertThat(contributor.health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void autoConfigurationsAreOrderedAroundTheCache() {
        assertThat(LiteLlmCacheMetricsAutoConfiguration.class
                        .getAnnotation(AutoConfiguration.class)
                        .before())
                .containsExactly(LiteLlmCacheAutoConfiguration.class);
        assertThat(LiteLlmCacheEndpointAutoConfiguration.class
                        .getAnnotation(AutoConfiguration.class)
                        .after())
                .containsExactly(LiteLlmCacheAutoConfiguration.class);
        assertThat(LiteLlmCacheHealthAutoConfiguration.class
                        .getAnnotation(AutoConfiguration.class)
                        .after())
                .containsExactly(LiteLlmCacheAutoConfiguration.class);
    }

    @Test
    void endpointIsNotCreatedWhenNotExposed() {
        this.contextRunner
                .withPropertyValues("management.endpoints.web.exposure.include=health")
                .run(context -> assertThat(context).doesNotHaveBean(LlmCacheEndpoint.class));
    }

    @Test
    void endpointIsNotCreatedWhenItsAccessIsNone() {
        this.contextRunner
                .withPropertyValues("management.endpoint.litellmcache.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(LlmCacheEndpoint.class));
    }

    @Test
    void healthContributorIsSwitchedOffByProperty() {
        this.contextRunner
                .withPropertyValues("management.health.litellm-cache.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(LlmCacheHealthIndicator.class);
                    assertThat(context.getBean(HealthContributorRegistry.class).getContributor("litellmCache"))
                            .isNull();
                    assertCallsAreCached(context);
                });
    }

    @Nested
    class BackOff {

        @Test
        void userBeansReplaceTheStartersOnes() {
            contextRunner
                    .withUserConfiguration(UserOperationsConfiguration.class)
                    .run(context -> {
                        assertThat(context.getBean(MicrometerCacheMetrics.class))
                                .isSameAs(context.getBean(UserOperationsConfiguration.class).metrics);
                        assertThat(context)
                                .getBean("litellmCacheHealthIndicator")
                                .isInstanceOf(UserHealthIndicator.class);
                        assertThat(context).hasSingleBean(LlmCacheEndpoint.class);
                        assertThat(context).hasBean("userEndpoint");
                    });
        }
    }

    @Nested
    class WithoutOptionalLibraries {

        /** The starter's own auto-configurations only: Boot's metrics and health ones need their jars. */
        private ApplicationContextRunner starterOnly() {
            return applicationRunner()
                    .withConfiguration(AutoConfigurations.of(
                            LiteLlmCacheMetricsAutoConfiguration.class,
                            LiteLlmCacheEndpointAutoConfiguration.class,
                            LiteLlmCacheHealthAutoConfiguration.class))
                    .withPropertyValues("management.endpoints.web.exposure.include=litellmcache");
        }

        @Test
        void worksWithoutActuator() {
            starterOnly()
                    .withClassLoader(new FilteredClassLoader(
                            "org.springframework.boot.actuate", "org.springframework.boot.health"))
                    .run(context -> {
                        assertThat(context).doesNotHaveBean(LlmCacheEndpoint.class);
                        assertThat(context).doesNotHaveBean("litellmCacheHealthIndicator");
                        assertThat(context).hasSingleBean(MicrometerCacheMetrics.class);
                        assertCallsAreCached(context);
                    });
        }

        @Test
        void worksWithoutTheActuatorEndpointsButWithHealth() {
            starterOnly()
                    .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                    .run(context -> {
                        assertThat(context).doesNotHaveBean(LlmCacheEndpoint.class);
                        assertThat(context).hasBean("litellmCacheHealthIndicator");
                        assertCallsAreCached(context);
                    });
        }

        @Test
        void worksWithoutMicrometerMetrics() {
            starterOnly()
                    .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
                    .withClassLoader(new FilteredClassLoader("io.micrometer.core"))
                    .run(context -> {
                        assertThat(context).doesNotHaveBean(MicrometerCacheMetrics.class);
                        assertThat(context).doesNotHaveBean(CacheStateMetrics.class);
                        assertThat(context).hasSingleBean(LlmCacheEndpoint.class);
                        assertCallsAreCached(context);
                        assertThat(context.getBean(LlmCacheEndpoint.class)
                                        .cache()
                                        .counts()
                                        .hits())
                                .isEqualTo(1);
                    });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SimpleRegistryConfiguration {

        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserOperationsConfiguration {

        final MicrometerCacheMetrics metrics = new MicrometerCacheMetrics();

        @Bean
        MicrometerCacheMetrics userMetrics() {
            return this.metrics;
        }

        @Bean
        UserHealthIndicator litellmCacheHealthIndicator(LlmCache cache) {
            return new UserHealthIndicator(cache);
        }

        @Bean
        LlmCacheEndpoint userEndpoint(LlmCache cache) {
            return new LlmCacheEndpoint(cache, new CacheStatistics());
        }
    }

    static class UserHealthIndicator extends LlmCacheHealthIndicator {

        UserHealthIndicator(LlmCache cache) {
            super(cache, new BackendGuards(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)), List.of()));
        }
    }
}
