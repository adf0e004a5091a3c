package io.github.litellmcache.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.litellmcache.autoconfigure.LiteLlmCacheAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCompletionAutoConfiguration;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.testsupport.OpenAiFake;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@link CompletionCallback} beans see every call, off the caller's thread. */
class CompletionCallbackTests {

    private static final BlockingQueue<CallEvent> events = new LinkedBlockingQueue<>();

    private static final BlockingQueue<Thread> callbackThreads = new LinkedBlockingQueue<>();

    private static final CountDownLatch release = new CountDownLatch(1);

    private final OpenAiFake provider = new OpenAiFake();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    LiteLlmCompletionAutoConfiguration.class, LiteLlmCacheAutoConfiguration.class))
            .withPropertyValues("litellm.openai.api-base=" + this.provider.apiBase())
            .withUserConfiguration(RecordingCallback.class);

    @AfterEach
    void reset() throws Exception {
        this.provider.close();
        events.clear();
        callbackThreads.clear();
    }

    private static ChatCompletionRequest question(String text) {
        return ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .message(ChatMessage.user(text))
                .metadata(Map.of("trace", "t-1"))
                .build();
    }

    @Test
    void callbacksSeeAMissThenAHit() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletion miss = service.completion(question("q"));
            CallEvent first = events.poll(5, TimeUnit.SECONDS);
            ChatCompletion hit = service.acompletion(question("q")).block();
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
                    .isThrownBy(() -> context.getBean(CompletionService.class).completion(question("q")));
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
                            assertThat(service.completion(question("q" + i)).content())
                                    .isNotNull();
                            assertThat(service.acompletion(question("q" + i))
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
