package io.github.litellmcache.sample.web;

import io.github.litellmcache.completion.CompletionService;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Serves the OpenAI endpoints through the cached {@link CompletionService}, with its reactive
 * methods only: the event loop never blocks, on a hit or on a miss.
 */
final class OpenAiHandler {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
            new ParameterizedTypeReference<>() {};

    private final CompletionService completionService;

    OpenAiHandler(CompletionService completionService) {
        this.completionService = completionService;
    }

    /** {@code POST /v1/chat/completions}. */
    Mono<ServerResponse> chatCompletions(ServerRequest request) {
        return body(request)
                .map(ChatCompletionRequestReader::read)
                .flatMap(this.completionService::acompletion)
                .flatMap(CacheResultHeaders::ok)
                .onErrorResume(OpenAiErrorResponses::from);
    }

    /** {@code POST /v1/embeddings}. */
    Mono<ServerResponse> embeddings(ServerRequest request) {
        return body(request)
                .map(EmbeddingRequestReader::read)
                .flatMap(this.completionService::aembedding)
                .flatMap(CacheResultHeaders::ok)
                .onErrorResume(OpenAiErrorResponses::from);
    }

    private static Mono<Map<String, Object>> body(ServerRequest request) {
        return request.bodyToMono(JSON_OBJECT)
                .switchIfEmpty(
                        Mono.error(() -> new IllegalArgumentException("the request body must be a JSON object")));
    }
}
