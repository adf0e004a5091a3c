package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.CountingCompletionService;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@code CompletionService} bean that decorates another cached one: its calls are cached once, by
 * the outer proxy, and never wait for themselves in a flight.
 */
class DecoratedCompletionServiceTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner = applicationRunner();

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
}
