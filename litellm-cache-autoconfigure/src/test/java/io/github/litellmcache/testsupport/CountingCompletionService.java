package io.github.litellmcache.testsupport;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionChunks;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.Usage;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An application's own {@link CompletionService}, in memory: every chat call gets a fresh
 * completion ({@code fixed-<n>}, content {@code answer <n>}) and is counted; a stream is that
 * completion split into chunks. Embeddings are not supported. Subclasses override what a test needs.
 */
public class CountingCompletionService implements CompletionService {

    private final AtomicInteger calls = new AtomicInteger();

    /** How many chat completions were made, streams included. */
    public int calls() {
        return this.calls.get();
    }

    @Override
    public ChatCompletion completion(ChatCompletionRequest request) {
        int n = this.calls.incrementAndGet();
        return new ChatCompletion(
                "fixed-" + n,
                1L,
                request.model(),
                List.of(new ChatCompletion.Choice(0, ChatMessage.assistant("answer " + n), "stop")),
                new Usage(1, 1, 2),
                null);
    }

    @Override
    public Mono<ChatCompletion> acompletion(ChatCompletionRequest request) {
        return Mono.fromSupplier(() -> completion(request));
    }

    @Override
    public EmbeddingResponse embedding(EmbeddingRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Mono<EmbeddingResponse> aembedding(EmbeddingRequest request) {
        return Mono.error(new UnsupportedOperationException());
    }

    @Override
    public Flux<ChatCompletionChunk> streamCompletion(ChatCompletionRequest request) {
        return acompletion(request)
                .flatMapMany(completion ->
                        Flux.fromIterable(ChatCompletionChunks.split(completion, request.includesUsage())));
    }
}
