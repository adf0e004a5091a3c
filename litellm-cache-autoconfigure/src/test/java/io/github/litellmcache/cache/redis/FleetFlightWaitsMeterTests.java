package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.actuate.MicrometerCacheMetrics;
import io.github.litellmcache.autoconfigure.LiteLlmCacheMetricsAutoConfiguration;
import io.github.litellmcache.cache.FlightScope;
import io.github.litellmcache.cache.FlightWaitOutcome;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Two instances on one Redis, fleet single flight on, each with its own registry: the call on the second instance that
 * waits for the first instance's lease is timed as a {@code fleet} wait there, tagged with how it ended; the instance
 * holding the lease times no wait.
 */
class FleetFlightWaitsMeterTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withConfiguration(
                    AutoConfigurations.of(MetricsAutoConfiguration.class, LiteLlmCacheMetricsAutoConfiguration.class))
            .withUserConfiguration(SimpleRegistryConfiguration.class)
            .withPropertyValues(server.cacheProperties());

    private final ChatCompletionRequest request = question("what did the board decide?");

    private static Timer waits(ApplicationContext context, FlightWaitOutcome outcome) {
        return context.getBean(MeterRegistry.class)
                .get(MicrometerCacheMetrics.FLIGHT_WAITS)
                .tag("scope", FlightScope.FLEET.tagValue())
                .tag("outcome", outcome.tagValue())
                .timer();
    }

    private static long allWaits(ApplicationContext context) {
        return context.getBean(MeterRegistry.class).get(MicrometerCacheMetrics.FLIGHT_WAITS).timers().stream()
                .mapToLong(Timer::count)
                .sum();
    }

    @Test
    void aCallAnsweredByTheIdenticalCallOfAnotherInstanceIsTimedAsAnsweredInTheFleet() {
        this.contextRunner.run(one -> this.contextRunner.run(other -> {
            this.provider.latency(Duration.ofSeconds(1));
            CompletableFuture<ChatCompletion> leading = leadOn(one);

            ChatCompletion answer = other.getBean(CompletionService.class).completion(this.request);

            assertThat(answer.cacheHit()).isTrue();
            assertThat(answer.id()).isEqualTo(leading.get(10, TimeUnit.SECONDS).id());
            assertThat(waits(other, FlightWaitOutcome.ANSWERED).count()).isEqualTo(1);
            assertThat(waits(other, FlightWaitOutcome.ANSWERED).totalTime(TimeUnit.NANOSECONDS))
                    .isPositive();
            assertThat(allWaits(other)).isEqualTo(1);
            assertThat(allWaits(one))
                    .as("the instance that held the lease waited for none")
                    .isZero();
        }));
    }

    @Test
    void aWaitForAnotherInstanceWhoseCallFailedEndsRetried() {
        this.contextRunner.run(one -> this.contextRunner.run(other -> {
            this.provider.latency(Duration.ofSeconds(1));
            this.provider.fail(500, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
            CompletableFuture<ChatCompletion> leading = leadOn(one);

            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> other.getBean(CompletionService.class).completion(this.request));

            assertThat(leading).failsWithin(Duration.ofSeconds(10));
            assertThat(this.provider.requestCount()).as("its own call").isEqualTo(2);
            assertThat(waits(other, FlightWaitOutcome.RETRIED).count()).isEqualTo(1);
            assertThat(allWaits(other)).isEqualTo(1);
        }));
    }

    @Test
    void aWaitForAnotherInstanceThatOutlastsTheRequestsTimeoutEndsTimedOut() {
        this.contextRunner.run(one -> this.contextRunner.run(other -> {
            this.provider.latency(Duration.ofSeconds(2));
            CompletableFuture<ChatCompletion> leading = leadOn(one);
            this.provider.latency(Duration.ZERO);

            ChatCompletion answer = other.getBean(CompletionService.class)
                    .completion(
                            question("what did the board decide?", options -> options.timeout(Duration.ofMillis(300))));

            assertThat(answer.cacheHit()).as("its own call's answer").isFalse();
            assertThat(waits(other, FlightWaitOutcome.TIMED_OUT).count()).isEqualTo(1);
            assertThat(allWaits(other)).isEqualTo(1);
            assertThat(leading).succeedsWithin(Duration.ofSeconds(10));
        }));
    }

    /** The question asked on {@code instance}, whose call holds the lease once the provider has the request. */
    private CompletableFuture<ChatCompletion> leadOn(ApplicationContext instance) throws InterruptedException {
        CompletableFuture<ChatCompletion> leading = instance.getBean(CompletionService.class)
                .acompletion(this.request)
                .toFuture();
        this.provider.awaitRequests(1);
        return leading;
    }

    @Configuration(proxyBeanMethods = false)
    static class SimpleRegistryConfiguration {

        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
