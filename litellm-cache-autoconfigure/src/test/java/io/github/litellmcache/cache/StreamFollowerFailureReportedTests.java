package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.callback.CallEvent;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RecordedCallEvents;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A stream that joined an identical one in flight, gave up waiting and then failed on its own is
 * reported: its observation ends, callbacks hear of it.
 */
class StreamFollowerFailureReportedTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withUserConfiguration(ReportingConfiguration.class);

    @Test
    void aStreamFollowerWhoseOwnCallFailsAfterItGaveUpWaitingIsReportedAsAFailure() {
        this.provider.latency(Duration.ofSeconds(2));
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            RecordedCallEvents events = context.getBean(RecordedCallEvents.class);
            CompletableFuture<List<ChatCompletionChunk>> leader = service.streamCompletion(question("a long story"))
                    .collectList()
                    .toFuture();
            this.provider.awaitRequests(1);
            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> service.streamCompletion(
                                    question("a long story", options -> options.timeout(Duration.ofMillis(300))))
                            .blockLast())
                    .withMessageNotContaining("from the identical call in flight");
            assertThat(this.provider.requestCount())
                    .as("the follower's own call, once its wait outlasted its timeout")
                    .isEqualTo(2);
            CallEvent follower = events.next();
            assertThat(follower).isNotNull();
            assertThat(follower.error()).isInstanceOf(LlmException.class);
            assertThat(follower.response()).isNull();
            assertThat(leader.get(10, TimeUnit.SECONDS)).isNotEmpty();
            CallEvent leaderEvent = events.next();
            assertThat(leaderEvent.error()).isNull();
            assertThat(events.isEmpty()).isTrue();
            TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                    .hasNumberOfObservationsWithNameEqualTo("litellm.completion", 2)
                    .forAllObservationsWithNameEqualTo(
                            "litellm.completion",
                            observation -> observation.hasLowCardinalityKeyValueWithKey("cache.hit"))
                    .hasHandledContextsThatSatisfy(contexts -> assertThat(contexts)
                            .anySatisfy(
                                    observed -> assertThat(observed.getError()).isInstanceOf(LlmException.class)));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class ReportingConfiguration {

        @Bean
        TestObservationRegistry testObservationRegistry() {
            return TestObservationRegistry.create();
        }

        @Bean
        RecordedCallEvents recordedCallEvents() {
            return new RecordedCallEvents();
        }
    }
}
