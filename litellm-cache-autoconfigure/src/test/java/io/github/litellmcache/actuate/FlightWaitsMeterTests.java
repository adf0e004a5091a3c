package io.github.litellmcache.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.autoconfigure.LiteLlmCacheMetricsAutoConfiguration;
import io.github.litellmcache.cache.FlightScope;
import io.github.litellmcache.cache.FlightWaitOutcome;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.AnsweringWhenLet;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The timer {@value MicrometerCacheMetrics#FLIGHT_WAITS} in one instance: a call that waits for the identical call in
 * flight, whose provider is held until the test lets it answer, is timed once as its wait ends, tagged with how it
 * ended; the leader and a call that hits are not timed.
 */
class FlightWaitsMeterTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withConfiguration(
                    AutoConfigurations.of(MetricsAutoConfiguration.class, LiteLlmCacheMetricsAutoConfiguration.class))
            .withUserConfiguration(
                    MicrometerCacheMetricsTests.SimpleRegistryConfiguration.class, AnsweringWhenLet.class);

    private final ChatCompletionRequest request = question("what did the board decide?");

    static Timer waits(MeterRegistry registry, FlightScope scope, FlightWaitOutcome outcome) {
        return registry.get(MicrometerCacheMetrics.FLIGHT_WAITS)
                .tag("scope", scope.tagValue())
                .tag("outcome", outcome.tagValue())
                .timer();
    }

    static long allWaits(MeterRegistry registry) {
        return registry.get(MicrometerCacheMetrics.FLIGHT_WAITS).timers().stream()
                .mapToLong(Timer::count)
                .sum();
    }

    @Test
    void aCallThatWaitedForTheIdenticalCallInFlightIsTimedOnceAsAnsweredInTheInstance() {
        this.contextRunner.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            ChatCompletion followed = leaderAndFollower(context, this.request).join();

            assertThat(followed.cacheHit()).isTrue();
            Timer answered = waits(registry, FlightScope.INSTANCE, FlightWaitOutcome.ANSWERED);
            assertThat(answered.count()).isEqualTo(1);
            assertThat(answered.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(allWaits(registry)).as("the leader's call is not a wait").isEqualTo(1);
        });
    }

    @Test
    void aCallThatHitsRecordsNoWait() {
        this.contextRunner.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            CompletionService service = context.getBean(CompletionService.class);
            leaderAndFollower(context, this.request).join();
            assertThat(allWaits(registry)).isEqualTo(1);

            assertThat(service.completion(this.request).cacheHit()).isTrue();
            assertThat(service.acompletion(this.request).block().cacheHit()).isTrue();

            assertThat(allWaits(registry)).isEqualTo(1);
        });
    }

    @Test
    void aWaitForALeaderWhoseCallFailedEndsRetried() {
        this.contextRunner.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean(AnsweringWhenLet.class).failFirst = true;

            ChatCompletion followed = leaderAndFollower(context, this.request).join();

            assertThat(followed.cacheHit()).as("its own call's answer").isFalse();
            assertThat(waits(registry, FlightScope.INSTANCE, FlightWaitOutcome.RETRIED)
                            .count())
                    .isEqualTo(1);
            assertThat(allWaits(registry)).isEqualTo(1);
        });
    }

    @Test
    void aWaitThatOutlastsTheFollowersOwnTimeoutEndsTimedOut() {
        this.contextRunner.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            CompletionService service = context.getBean(CompletionService.class);
            AnsweringWhenLet provider = context.getBean(AnsweringWhenLet.class);
            CompletableFuture<ChatCompletion> leader =
                    CompletableFuture.supplyAsync(() -> service.completion(this.request));
            provider.awaitEntered(1);

            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> service.completion(question(
                            "what did the board decide?", options -> options.timeout(Duration.ofMillis(200)))));
            provider.answer.countDown();
            leader.get(10, TimeUnit.SECONDS);

            Timer timedOut = waits(registry, FlightScope.INSTANCE, FlightWaitOutcome.TIMED_OUT);
            assertThat(timedOut.count()).isEqualTo(1);
            assertThat(timedOut.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(200);
            assertThat(allWaits(registry)).isEqualTo(1);
        });
    }

    /**
     * The follower's answer to {@code request}: asked on its own thread while the leader's identical call is held in
     * the provider, which answers once the follower waits for it; the leader has ended, with its answer or error.
     */
    private static CompletableFuture<ChatCompletion> leaderAndFollower(
            ConfigurableApplicationContext context, ChatCompletionRequest request) throws Exception {
        CompletionService service = context.getBean(CompletionService.class);
        AnsweringWhenLet provider = context.getBean(AnsweringWhenLet.class);
        CompletableFuture<ChatCompletion> leader = CompletableFuture.supplyAsync(() -> service.completion(request));
        provider.awaitEntered(1);
        CompletableFuture<ChatCompletion> follower = new CompletableFuture<>();
        Thread following = new Thread(() -> {
            try {
                follower.complete(service.completion(request));
            } catch (Throwable error) {
                follower.completeExceptionally(error);
            }
        });
        following.setDaemon(true);
        following.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> following.getState() == Thread.State.WAITING);
        provider.answer.countDown();
        leader.handle((answer, error) -> null).get(10, TimeUnit.SECONDS);
        follower.get(10, TimeUnit.SECONDS);
        return follower;
    }
}
