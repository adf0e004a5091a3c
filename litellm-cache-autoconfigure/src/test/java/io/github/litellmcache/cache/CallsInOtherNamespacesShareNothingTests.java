package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Tenants separated by namespace, asking the very same request: whatever one asked, streamed, stored or
 * keeps as stale never answers the other, nor does the other join its call in flight, on every path a
 * call takes (a whole response, a stream, embedding items, a stale answer to an outage).
 */
class CallsInOtherNamespacesShareNothingTests extends AbstractCachedApplicationTests {

    private static final String QUESTION = "what did the board decide?";

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withPropertyValues(
                    "litellm.cache.ttl=" + StaleIfErrorTests.TTL.toMillis() + "ms",
                    "litellm.cache.stale-if-error=1h",
                    "litellm.request-timeout=5s");

    private static ChatCompletionRequest asked(String namespace) {
        return question(QUESTION, builder -> builder.cache(inNamespace(namespace)));
    }

    private static CacheOptions inNamespace(String namespace) {
        return CacheOptions.builder().namespace(namespace).build();
    }

    @Test
    void anIdenticalCallInAnotherNamespaceDoesNotJoinTheCallInFlight() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            this.provider.latency(Duration.ofSeconds(1));
            CompletableFuture<ChatCompletion> alice =
                    service.acompletion(asked("alice")).toFuture();
            this.provider.awaitRequests(1);

            ChatCompletion mallory = service.completion(asked("mallory"));

            assertThat(mallory.cacheHit()).isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(2);
            assertThat(mallory.id()).isNotEqualTo(alice.join().id());
        });
    }

    @Test
    void anIdenticalStreamInAnotherNamespaceDoesNotJoinTheStreamInFlight() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            this.provider.latency(Duration.ofSeconds(1));
            CompletableFuture<List<ChatCompletionChunk>> alice =
                    service.streamCompletion(asked("alice")).collectList().toFuture();
            this.provider.awaitRequests(1);

            List<ChatCompletionChunk> mallory =
                    service.streamCompletion(asked("mallory")).collectList().block();

            assertThat(mallory).isNotEmpty().noneMatch(ChatCompletionChunk::cacheHit);
            assertThat(this.provider.requestCount()).isEqualTo(2);
            assertThat(mallory.get(0).id()).isNotEqualTo(alice.join().get(0).id());
        });
    }

    @Test
    void aStoredStreamIsNotReplayedToAStreamOrAPlainCallOfAnotherNamespace() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.streamCompletion(asked("alice")).blockLast();

            List<ChatCompletionChunk> stream =
                    service.streamCompletion(asked("mallory")).collectList().block();
            ChatCompletion plain = service.completion(asked("eve"));

            assertThat(stream).noneMatch(ChatCompletionChunk::cacheHit);
            assertThat(plain.cacheHit()).isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(3);
        });
    }

    @Test
    void anEntryKeptAsStaleInOneNamespaceNeverAnswersAnotherNamespacesOutage() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(asked("alice"));
            StaleIfErrorTests.pastTheTtl();
            this.provider.fail(503, "{\"error\":{\"message\":\"overloaded\"}}");

            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> service.completion(asked("mallory")))
                    .satisfies(error -> assertThat(error.statusCode()).isEqualTo(503));
            assertThat(service.completion(asked("alice")).cacheStale()).isTrue();
        });
    }

    @Test
    void embeddingItemsStoredForOneNamespaceAreAllSentAgainForAnother() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.embedding(EmbeddingRequest.builder()
                    .model("text-embedding-3-small")
                    .input(List.of("salary of the CEO", "merger target"))
                    .cache(inNamespace("alice"))
                    .build());

            EmbeddingResponse mallory = service.embedding(EmbeddingRequest.builder()
                    .model("text-embedding-3-small")
                    .input(List.of("merger target", "salary of the CEO", "lunch menu"))
                    .cache(inNamespace("mallory"))
                    .build());

            assertThat(mallory.cacheHit()).isFalse();
            assertThat(this.provider.lastBody().path("input").toString())
                    .isEqualTo("[\"merger target\",\"salary of the CEO\",\"lunch menu\"]");
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }
}
