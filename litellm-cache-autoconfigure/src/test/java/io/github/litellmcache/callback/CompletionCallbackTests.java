package io.github.litellmcache.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@link CompletionCallback} beans see every call, off the caller's thread. */
class CompletionCallbackTests extends AbstractCachedApplicationTests {

    private static final BlockingQueue<CallEvent> events = new LinkedBlockingQueue<>();

    private static final BlockingQueue<Thread> callbackThreads = new LinkedBlockingQueue<>();

    private static final CountDownLatch release = new CountDownLatch(1);

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withUserConfiguration(RecordingCallback.class);

    @AfterEach
    void reset() {
        events.clear();
        callbackThreads.clear();
    }

    /** {@link #question(String)} with metadata that the callbacks must see. */
    private static ChatCompletionRequest tracedQuestion(String text) {
        return question(text, request -> request.metadata(Map.of("trace", "t-1")));
    }

    @Test
    void callbacksSeeAMissThenAHit() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletion miss = service.completion(tracedQuestion("q"));
            CallEvent first = events.poll(5, TimeUnit.SECONDS);
            ChatCompletion hit = service.acompletion(tracedQuestion("q")).block();
            CallEvent second = events.poll(5, TimeUnit.SECONDS);
            assertThat(first.cacheHit()).isFalse();
            assertThat(first.callType()).isEqualTo(CallType.COMPLETION);
            assertThat(first.response()).isEqualTo(miss);
            assertThat(first.cacheKey()).isEqualTo(miss.cacheKey());
            assertThat(first.model()).isEqualTo("gpt-4o-mini");
            assertThat(first.request().metadata()).containsEntry("trace", "t-1");
            assertThat(first.endTime()).isAfterOrEqualTo(first.startTime());
            assertThat(first.error()).isNull();
            assertThat(second.cacheHit()).isTrue();
            assertThat(second.callType()).isEqualTo(CallType.ACOMPLETION);
            assertThat(second.response()).isEqualTo(hit);
            assertThat(callbackThreads.take()).isNotEqualTo(Thread.currentThread());
        });
    }

    @Test
    void callbacksSeeFailures() {
        this.contextRunner.run(context -> {
            this.provider.fail(503, "{\"error\":{\"message\":\"overloaded\"}}");
            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> context.getBean(CompletionService.class).completion(tracedQuestion("q")));
            CallEvent event = events.poll(5, TimeUnit.SECONDS);
            assertThat(event.error()).isInstanceOf(LlmException.class);
            assertThat(event.response()).isNull();
            assertThat(event.cacheHit()).isFalse();
        });
    }

    @Test
    void callbackThatThrowsOrBlocksNeitherFailsNorDelaysTheCall() {
        this.contextRunner
                .withUserConfiguration(ThrowingCallback.class, BlockingCallback.class)
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                        for (int i = 0; i < 5; i++) {
                            assertThat(service.completion(tracedQuestion("q" + i))
                                            .content())
                                    .isNotNull();
                            assertThat(service.acompletion(tracedQuestion("q" + i))
                                            .block()
                                            .cacheHit())
                                    .isTrue();
                        }
                    });
                    release.countDown();
                    assertThat(events.poll(5, TimeUnit.SECONDS))
                            .as("the recording callback still runs")
                            .isNotNull();
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class RecordingCallback {

        @Bean
        CompletionCallback recordingCallback() {
            return new CompletionCallback() {
                @Override
                public void onSuccess(CallEvent event) {
                    callbackThreads.add(Thread.currentThread());
                    events.add(event);
                }

                @Override
                public void onFailure(CallEvent event) {
                    events.add(event);
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ThrowingCallback {

        @Bean
        CompletionCallback throwingCallback() {
            return new CompletionCallback() {
                @Override
                public void onSuccess(CallEvent event) {
                    throw new IllegalStateException("callback bug");
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BlockingCallback {

        @Bean
        CompletionCallback blockingCallback() {
            return new CompletionCallback() {
                @Override
                public void onSuccess(CallEvent event) {
                    try {
                        release.await();
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        }
    }
}
