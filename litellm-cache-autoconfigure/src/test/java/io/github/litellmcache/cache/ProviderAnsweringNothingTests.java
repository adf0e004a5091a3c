package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.CountingCompletionService;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * A provider whose reactive methods complete empty (no answer, no error; a decorator of the application's that
 * filters its answers away) or whose blocking methods return null: a cached call fails with the cache's "answered
 * nothing", naming what the provider must do, whether or not it reads the cache first, and stores nothing.
 */
class ProviderAnsweringNothingTests extends AbstractCachedApplicationTests {

    private static final CacheOptions NO_CACHE =
            CacheOptions.builder().noCache(true).build();

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withUserConfiguration(AnsweringNothing.class);

    @Test
    void aReactiveCallThatReadsTheCacheFailsNamingTheEmptyAnswer() {
        assertFailsAnsweredNothing(
                service -> () -> service.acompletion(question("nothing")).block());
    }

    @Test
    void aReactiveCallThatDoesNotReadTheCacheFailsAlike() {
        assertFailsAnsweredNothing(service ->
                () -> service.acompletion(question("nothing", builder -> builder.cache(NO_CACHE)))
                        .block());
    }

    @Test
    void aReactiveEmbeddingThatDoesNotReadTheCacheFailsAlike() {
        assertFailsAnsweredNothing(service -> () -> service.aembedding(EmbeddingRequest.builder()
                        .model("text-embedding-3-small")
                        .input(List.of("nothing"))
                        .cache(NO_CACHE)
                        .build())
                .block());
    }

    @Test
    void aBlockingCallThatDoesNotReadTheCacheFailsAlike() {
        assertFailsAnsweredNothing(
                service -> () -> service.completion(question("nothing", builder -> builder.cache(NO_CACHE))));
    }

    private void assertFailsAnsweredNothing(Function<CompletionService, Supplier<?>> call) {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            assertThatIllegalStateException()
                    .isThrownBy(() -> call.apply(service).get())
                    .withMessageContaining("answered nothing")
                    .withMessageContaining("must emit its response or an error");
            assertThatIllegalStateException()
                    .isThrownBy(() -> call.apply(service).get());
            assertThat(context.getBean(AnsweringNothing.class).asked).hasValue(2);
        });
    }

    /** A provider that answers nothing: empty reactive answers, null blocking ones. */
    @Configuration(proxyBeanMethods = false)
    static class AnsweringNothing {

        final AtomicInteger asked = new AtomicInteger();

        @Bean
        CompletionService answeringNothingCompletionService() {
            return new CountingCompletionService() {

                @Override
                public ChatCompletion completion(ChatCompletionRequest request) {
                    AnsweringNothing.this.asked.incrementAndGet();
                    return null;
                }

                @Override
                public Mono<ChatCompletion> acompletion(ChatCompletionRequest request) {
                    return Mono.fromRunnable(AnsweringNothing.this.asked::incrementAndGet);
                }

                @Override
                public Mono<EmbeddingResponse> aembedding(EmbeddingRequest request) {
                    return Mono.fromRunnable(AnsweringNothing.this.asked::incrementAndGet);
                }
            };
        }
    }
}
