package io.github.litellmcache.completion;

import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Calls a model: chat completions and embeddings, blocking and reactive. The bean that
 * applications inject is the provider client wrapped by the cache, so a repeated request is
 * answered from the cache.
 */
public interface CompletionService {

    /** A chat completion (call type {@code COMPLETION}). */
    ChatCompletion completion(ChatCompletionRequest request);

    /** A chat completion, lazily on subscription (call type {@code ACOMPLETION}). */
    Mono<ChatCompletion> acompletion(ChatCompletionRequest request);

    /** Embeddings of the request's input (call type {@code EMBEDDING}). */
    EmbeddingResponse embedding(EmbeddingRequest request);

    /** Embeddings of the request's input, lazily on subscription (call type {@code AEMBEDDING}). */
    Mono<EmbeddingResponse> aembedding(EmbeddingRequest request);

    /** A chat completion as a stream of chunks (call type {@code ACOMPLETION}). */
    Flux<ChatCompletionChunk> streamCompletion(ChatCompletionRequest request);

    /** A chat completion of {@code messages} by {@code model} with default parameters. */
    default ChatCompletion completion(String model, List<ChatMessage> messages) {
        return completion(ChatCompletionRequest.of(model, messages));
    }

    /** Embeddings of {@code input} by {@code model} with default parameters. */
    default EmbeddingResponse embedding(String model, List<String> input) {
        return embedding(EmbeddingRequest.builder().model(model).input(input).build());
    }
}
