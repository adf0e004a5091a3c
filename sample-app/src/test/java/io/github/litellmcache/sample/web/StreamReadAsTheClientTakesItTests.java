package io.github.litellmcache.sample.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.ProviderEndpoint;
import io.github.litellmcache.completion.ProviderRouter;
import io.github.litellmcache.completion.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A streamed answer is taken from the call as the client reads it: a client that reads nothing leaves
 * the call's chunks unread, rather than held in memory, so that the provider's stream waits for it.
 */
class StreamReadAsTheClientTakesItTests {

    @Test
    void aStreamWhoseClientReadsNothingIsNotReadFromTheCallBeyondItsFirstChunk() {
        AtomicLong taken = new AtomicLong();
        CompletionService calls = new LongStreams(taken);
        OpenAiHandler handler = new OpenAiHandler(
                calls,
                WireFormat.jsonMapper(),
                new SampleProperties().getLimits(),
                CacheScope.scopes(false, null),
                new ModelRoutes(
                        new ProviderRouter(
                                new ProviderEndpoint("http://127.0.0.1:9/v1", "sk-test", null),
                                new ProviderEndpoint(null, null, null)),
                        false),
                new OpenAiErrorResponses(new UpstreamAddresses(List.of())));
        MockServerRequest request = MockServerRequest.builder()
                .header("Content-Type", MediaType.APPLICATION_JSON_VALUE)
                .body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(
                        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                                .getBytes(StandardCharsets.UTF_8))));

        ServerResponse response = handler.chatCompletions(request).block();

        assertThat(response.statusCode().value()).isEqualTo(200);
        assertThat(taken.get())
                .as("chunks taken from the call before the client read any")
                .isLessThan(10);
    }

    /** A call whose stream has a million chunks, counting those taken from it. */
    private record LongStreams(AtomicLong taken) implements CompletionService {

        @Override
        public Flux<ChatCompletionChunk> streamCompletion(ChatCompletionRequest request) {
            return Flux.range(0, 1_000_000)
                    .map(i -> new ChatCompletionChunk(
                            "chatcmpl-1",
                            1,
                            "gpt-4o-mini",
                            List.of(new ChatCompletionChunk.Choice(0, new ChatCompletionChunk.Delta(null, "x"), null)),
                            null,
                            false))
                    .doOnNext(chunk -> this.taken.incrementAndGet());
        }

        @Override
        public ChatCompletion completion(ChatCompletionRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<ChatCompletion> acompletion(ChatCompletionRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public EmbeddingResponse embedding(EmbeddingRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<EmbeddingResponse> aembedding(EmbeddingRequest request) {
            throw new UnsupportedOperationException();
        }
    }
}
