package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.Usage;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;

/**
 * A call that expects the usage (a plain completion; a stream asked with {@code stream_options.include_usage})
 * is never answered as a hit by a stream stored without it: it goes to the provider, whose answer replaces the
 * entry. A call that does not expect it is answered by either; a stale answer to an outage needs no usage.
 */
class CallsExpectingUsageTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner = applicationRunner();

    private static ChatCompletionRequest askingForUsage(String text) {
        return question(text, builder -> builder.param("stream_options", Map.of("include_usage", true)));
    }

    @Test
    void aPlainCallIsNotAnsweredByAStreamStoredWithoutUsage() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.streamCompletion(question("q")).blockLast();

            ChatCompletion plain = service.completion(question("q"));

            assertThat(plain.cacheHit()).isFalse();
            assertThat(plain.usage()).isEqualTo(new Usage(10, 2, 12));
            ChatCompletion again = service.acompletion(question("q")).block();
            assertThat(again.cacheHit()).isTrue();
            assertThat(again.usage()).isEqualTo(new Usage(10, 2, 12));
            assertThat(again.content()).isEqualTo("answer 2 to q");
            List<ChatCompletionChunk> replayed =
                    service.streamCompletion(question("q")).collectList().block();
            assertThat(replayed)
                    .allSatisfy(chunk -> assertThat(chunk.cacheHit()).isTrue());
            assertThat(text(replayed)).isEqualTo("answer 2 to q");
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void aStreamAskingForUsageIsNotAnsweredByAStreamStoredWithoutIt() {
        this.contextRunner.withUserConfiguration(KeyWithoutStreamOptions.class).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.streamCompletion(question("q")).blockLast();

            List<ChatCompletionChunk> asked =
                    service.streamCompletion(askingForUsage("q")).collectList().block();

            assertThat(asked).allSatisfy(chunk -> assertThat(chunk.cacheHit()).isFalse());
            assertThat(asked.get(asked.size() - 1).usage()).isEqualTo(new Usage(10, 2, 12));
            List<ChatCompletionChunk> replayed =
                    service.streamCompletion(askingForUsage("q")).collectList().block();
            assertThat(replayed)
                    .allSatisfy(chunk -> assertThat(chunk.cacheHit()).isTrue());
            assertThat(replayed.get(replayed.size() - 1).usage()).isEqualTo(new Usage(10, 2, 12));
            assertThat(service.streamCompletion(question("q")).blockLast().cacheHit())
                    .isTrue();
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void aStreamNotAskingForUsageIsAnsweredWithoutTheUsageChunkOfAStreamStoredWithIt() {
        this.contextRunner.withUserConfiguration(KeyWithoutStreamOptions.class).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            List<ChatCompletionChunk> asked =
                    service.streamCompletion(askingForUsage("q")).collectList().block();
            assertThat(asked.get(asked.size() - 1).choices())
                    .as("OpenAI's usage chunk")
                    .isEmpty();

            List<ChatCompletionChunk> replayed =
                    service.streamCompletion(question("q")).collectList().block();

            assertThat(replayed).allSatisfy(chunk -> {
                assertThat(chunk.cacheHit()).isTrue();
                assertThat(chunk.choices()).isNotEmpty();
            });
            assertThat(replayed).hasSize(asked.size() - 1);
            assertThat(text(replayed)).isEqualTo(text(asked));
            assertThat(this.provider.requestCount()).isOne();
        });
    }

    @Test
    void aStreamStoredWithoutUsageAnswersAPlainCallOnlyAsAStaleAnswerToAnOutage() {
        this.contextRunner
                .withPropertyValues("litellm.cache.ttl=1h", "litellm.cache.stale-if-error=1h")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    service.streamCompletion(question("q")).blockLast();
                    this.provider.fail(503, "{\"error\":{\"message\":\"overloaded\"}}");

                    ChatCompletion stale = service.completion(question("q"));

                    assertThat(stale.cacheHit()).isTrue();
                    assertThat(stale.cacheStale()).isTrue();
                    assertThat(stale.content()).isEqualTo("answer 1 to q");
                    assertThat(stale.usage()).isNull();
                    assertThat(this.provider.requestCount()).isEqualTo(2);
                });
    }

    @Test
    void aPlainCallDoesNotWaitForTheIdenticalStreamInFlightWithoutUsage() throws Exception {
        this.provider.chunkInterval(Duration.ofSeconds(2));
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            CountDownLatch streamEnded = new CountDownLatch(1);
            Disposable stream = service.streamCompletion(question("q"))
                    .doFinally(signal -> streamEnded.countDown())
                    .subscribe();
            this.provider.awaitRequests(1);

            ChatCompletion plain = CompletableFuture.supplyAsync(() -> service.completion(question("q")))
                    .get(30, TimeUnit.SECONDS);

            assertThat(streamEnded.getCount()).as("the stream is still running").isOne();
            assertThat(plain.cacheHit()).isFalse();
            assertThat(plain.usage()).isEqualTo(new Usage(10, 2, 12));
            assertThat(plain.content()).isEqualTo("answer 2 to q");
            stream.dispose();
        });
    }

    /** A key that leaves {@code stream_options} out, so that streams asked with and without usage share an entry. */
    @Configuration(proxyBeanMethods = false)
    static class KeyWithoutStreamOptions {

        @Bean
        CacheKeyGenerator keyWithoutStreamOptions() {
            return (callType, request) -> request.model() + ":"
                    + ((ChatCompletionRequest) request)
                            .messages().stream().map(ChatMessage::content).collect(Collectors.joining("|"));
        }
    }
}
