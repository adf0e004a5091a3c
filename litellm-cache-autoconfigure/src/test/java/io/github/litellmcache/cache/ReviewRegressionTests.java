package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.litellmcache.autoconfigure.LiteLlmCacheAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCompletionAutoConfiguration;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.testsupport.CountingCompletionService;
import io.github.litellmcache.testsupport.OpenAiFake;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Cases a review found: each pins a behaviour that once went wrong. */
class ReviewRegressionTests {

    private final OpenAiFake provider = new OpenAiFake();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    LiteLlmCompletionAutoConfiguration.class, LiteLlmCacheAutoConfiguration.class))
            .withPropertyValues("litellm.openai.api-base=" + this.provider.apiBase());

    @AfterEach
    void stopProvider() throws Exception {
        this.provider.close();
    }

    private static ChatCompletionRequest question(String text) {
        return ChatCompletionRequest.of("gpt-4o-mini", List.of(ChatMessage.user(text)));
    }

    @Test
    void aServiceWrappingAnotherCachedServiceNeitherWaitsForItselfNorCachesTwice() {
        this.contextRunner.withUserConfiguration(Decorator.class).run(context -> {
            CompletionService decorated = context.getBean(CompletionService.class);
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertThat(decorated.completion(question("q")).cacheHit()).isFalse();
                assertThat(decorated.completion(question("q")).cacheHit()).isTrue();
                assertThat(decorated.acompletion(question("r")).block().cacheHit())
                        .isFalse();
                assertThat(decorated.acompletion(question("r")).block().cacheHit())
                        .isTrue();
                assertThat(decorated
                                .streamCompletion(question("s"))
                                .collectList()
                                .block())
                        .isNotEmpty();
            });
            assertThat(context.getBean(Decorator.class).inner.calls()).isEqualTo(3);
        });
    }

    @Test
    void changingAReturnedVectorChangesNoCachedEntry() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            EmbeddingRequest request =
                    EmbeddingRequest.builder().model("e").input("text").build();
            float[] first = service.embedding(request).data().get(0).embedding();
            float original = first[0];
            first[0] = 12345f;
            EmbeddingResponse hit = service.embedding(request);
            assertThat(hit.cacheHit()).isTrue();
            assertThat(hit.data().get(0).embedding()[0]).isEqualTo(original);
        });
    }

    @Test
    void namespacesWithStoredKeySeparatorsAreRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheOptions.builder().namespace("a:b").build())
                .withMessageContaining("':'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheSettings.builder().namespace("team/x"));
    }

    @Test
    void streamThatFailsMidwayStoresNothing() {
        this.contextRunner.withUserConfiguration(MidwayFailure.class).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            List<ChatCompletionChunk> received = new java.util.ArrayList<>();
            assertThat(service.streamCompletion(question("q"))
                            .doOnNext(received::add)
                            .then()
                            .onErrorResume(error -> Mono.empty())
                            .block())
                    .isNull();
            assertThat(received)
                    .as("chunks before the failure reached the caller")
                    .hasSize(2);
            assertThat(service.completion(question("q")).cacheHit())
                    .as("nothing stored")
                    .isFalse();
            assertThat(context.getBean(MidwayFailure.class).streams).hasValue(1);
        });
    }

    @Test
    void streamWithToolCallsIsPassedOnButNotStored() {
        this.contextRunner.withUserConfiguration(ToolCallStreams.class).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            List<ChatCompletionChunk> first =
                    service.streamCompletion(question("weather?")).collectList().block();
            assertThat(first.get(0).choices().get(0).delta().toolCalls()).isNotEmpty();
            ChatCompletion completion = service.completion(question("weather?"));
            assertThat(completion.cacheHit())
                    .as("a tool-call stream is not stored")
                    .isFalse();
        });
    }

    @Test
    void updateNeverClosesTheBackendTheCacheStartedWith() {
        this.contextRunner.run(context -> {
            LlmCache cache = context.getBean(LlmCache.class);
            CacheBackend initial = cache.backend();
            cache.update(CacheSettings.defaults().toBuilder()
                    .type(CacheType.LOCAL)
                    .host("elsewhere")
                    .build());
            assertThat(cache.backend()).isNotSameAs(initial);
            initial.put(new CacheKey(null, "k"), new CacheEntry(chat(), Instant.now()), null);
            assertThat(initial.get(new CacheKey(null, "k"))).as("still usable").isNotNull();
        });
    }

    private static ChatCompletion chat() {
        return new ChatCompletion(
                "id", 1L, "m", List.of(new ChatCompletion.Choice(0, ChatMessage.assistant("x"), "stop")), null, null);
    }

    @Configuration(proxyBeanMethods = false)
    static class Decorator {

        final CountingCompletionService inner = new CountingCompletionService();

        @Bean
        CompletionService innerCompletionService() {
            return this.inner;
        }

        @Bean
        @Primary
        CompletionService decoratingCompletionService(@Qualifier("innerCompletionService") CompletionService inner) {
            return new CompletionService() {
                @Override
                public ChatCompletion completion(ChatCompletionRequest request) {
                    return inner.completion(request);
                }

                @Override
                public Mono<ChatCompletion> acompletion(ChatCompletionRequest request) {
                    return inner.acompletion(request);
                }

                @Override
                public EmbeddingResponse embedding(EmbeddingRequest request) {
                    return inner.embedding(request);
                }

                @Override
                public Mono<EmbeddingResponse> aembedding(EmbeddingRequest request) {
                    return inner.aembedding(request);
                }

                @Override
                public Flux<ChatCompletionChunk> streamCompletion(ChatCompletionRequest request) {
                    return inner.streamCompletion(request);
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MidwayFailure {

        final java.util.concurrent.atomic.AtomicInteger streams = new java.util.concurrent.atomic.AtomicInteger();

        @Bean
        CompletionService failingMidwayService() {
            return new CountingCompletionService() {
                @Override
                public Flux<ChatCompletionChunk> streamCompletion(ChatCompletionRequest request) {
                    MidwayFailure.this.streams.incrementAndGet();
                    return super.streamCompletion(request)
                            .take(2)
                            .concatWith(Flux.error(new IllegalStateException("connection reset")));
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ToolCallStreams {

        @Bean
        CompletionService toolCallingService() {
            return new CountingCompletionService() {
                @Override
                public Flux<ChatCompletionChunk> streamCompletion(ChatCompletionRequest request) {
                    Map<String, Object> call = Map.of(
                            "index", 0, "id", "call_1", "function", Map.of("name", "weather", "arguments", "{}"));
                    return Flux.just(
                            new ChatCompletionChunk(
                                    "s",
                                    1L,
                                    "m",
                                    List.of(new ChatCompletionChunk.Choice(
                                            0, new ChatCompletionChunk.Delta("assistant", null, List.of(call)), null)),
                                    null,
                                    false),
                            new ChatCompletionChunk(
                                    "s",
                                    1L,
                                    "m",
                                    List.of(new ChatCompletionChunk.Choice(
                                            0, new ChatCompletionChunk.Delta(null, null), "tool_calls")),
                                    null,
                                    false));
                }
            };
        }
    }
}
