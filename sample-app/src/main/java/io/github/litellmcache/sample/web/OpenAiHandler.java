package io.github.litellmcache.sample.web;

import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves the OpenAI endpoints through the cached {@link CompletionService}, with its reactive
 * methods only: the event loop never blocks, on a hit or on a miss.
 */
final class OpenAiHandler {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
            new ParameterizedTypeReference<>() {};

    private final CompletionService completionService;

    private final JsonMapper json;

    OpenAiHandler(CompletionService completionService, JsonMapper json) {
        this.completionService = completionService;
        this.json = json;
    }

    /** {@code POST /v1/chat/completions}, as one JSON answer or, with {@code "stream": true}, as server-sent events. */
    Mono<ServerResponse> chatCompletions(ServerRequest request) {
        return body(request)
                .flatMap(body -> ChatCompletionRequestReader.isStream(body)
                        ? stream(ChatCompletionRequestReader.read(body))
                        : this.completionService
                                .acompletion(ChatCompletionRequestReader.read(body))
                                .flatMap(CacheResultHeaders::ok))
                .onErrorResume(OpenAiErrorResponses::from);
    }

    /**
     * The chunks as OpenAI streams them ({@code data: <chunk>} events, then {@code data: [DONE]}),
     * each passed on as it arrives; the first chunk tells the {@value CacheResultHeaders#CACHE_HIT}
     * header.
     */
    private Mono<ServerResponse> stream(ChatCompletionRequest request) {
        Flux<ChatCompletionChunk> chunks =
                this.completionService.streamCompletion(request).cache();
        Flux<ServerSentEvent<String>> events =
                chunks.map(chunk -> event(this.json.writeValueAsString(chunk))).concatWith(Mono.just(event("[DONE]")));
        return chunks.next()
                .flatMap(first -> ServerResponse.ok()
                        .contentType(MediaType.TEXT_EVENT_STREAM)
                        .header(CacheResultHeaders.CACHE_HIT, Boolean.toString(first.cacheHit()))
                        .body(BodyInserters.fromServerSentEvents(events)));
    }

    private static ServerSentEvent<String> event(String data) {
        return ServerSentEvent.builder(data).build();
    }

    /** {@code POST /v1/embeddings}, with the vectors as numbers or in base64 as {@code encoding_format} asks. */
    Mono<ServerResponse> embeddings(ServerRequest request) {
        return body(request)
                .flatMap(body -> {
                    EmbeddingEncoding encoding = EmbeddingEncoding.of(JsonFields.of(body));
                    return this.completionService
                            .aembedding(EmbeddingRequestReader.read(body))
                            .flatMap(response -> CacheResultHeaders.ok(response, encoding.body(response, this.json)));
                })
                .onErrorResume(OpenAiErrorResponses::from);
    }

    private static Mono<Map<String, Object>> body(ServerRequest request) {
        return request.bodyToMono(JSON_OBJECT)
                .switchIfEmpty(
                        Mono.error(() -> new IllegalArgumentException("the request body must be a JSON object")));
    }
}
