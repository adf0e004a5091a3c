package io.github.litellmcache.sample.web;

import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import java.util.function.Function;
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

    private final CompletionService completionService;

    private final JsonMapper json;

    private final RequestBodyReader bodies;

    private final Base64Embeddings base64;

    private final SampleProperties.Limits limits;

    private final Function<ServerRequest, CacheScope> scopes;

    private final ModelRoutes routes;

    private final OpenAiErrorResponses errors;

    /**
     * @param scopes the cache scope of each request ({@link CacheScope#scopes})
     * @param routes what refuses a model this server has no provider for
     * @param errors how failures are answered
     */
    OpenAiHandler(
            CompletionService completionService,
            JsonMapper json,
            SampleProperties.Limits limits,
            Function<ServerRequest, CacheScope> scopes,
            ModelRoutes routes,
            OpenAiErrorResponses errors) {
        this.completionService = completionService;
        this.json = json;
        this.bodies = new RequestBodyReader(limits);
        this.base64 = new Base64Embeddings(json);
        this.limits = limits;
        this.scopes = scopes;
        this.routes = routes;
        this.errors = errors;
    }

    /** {@code POST /v1/chat/completions}, as one JSON answer or, with {@code "stream": true}, as server-sent events. */
    Mono<ServerResponse> chatCompletions(ServerRequest request) {
        return this.bodies
                .read(request)
                .flatMap(body -> {
                    ChatCompletionRequest chat = this.routes.routable(
                            ChatCompletionRequestReader.read(body, this.limits, this.scopes.apply(request)));
                    return ChatCompletionRequestReader.isStream(body)
                            ? stream(chat)
                            : this.completionService.acompletion(chat).flatMap(CacheResultHeaders::ok);
                })
                .onErrorResume(this.errors::from);
    }

    /**
     * The chunks as OpenAI streams them ({@code data: <chunk>} events, then {@code data: [DONE]}),
     * each passed on as it arrives; the first chunk tells the {@value CacheResultHeaders#CACHE_HIT}
     * header. A failure before the first chunk is an error answer; one after it, when the status has
     * been sent, ends the stream with OpenAI's error event ({@code data: {"error": ...}}) instead of
     * {@code [DONE]}. The call's chunks are taken as the client reads them: one that reads slowly or
     * not at all holds back the call, rather than have its chunks kept here; a client that goes away,
     * before or after the first chunk, cancels the call.
     */
    private Mono<ServerResponse> stream(ChatCompletionRequest request) {
        return this.completionService
                .streamCompletion(request)
                .switchOnFirst(
                        (first, chunks) -> first.hasValue()
                                ? response(first.get(), chunks)
                                : chunks.then(Mono.<ServerResponse>empty()),
                        false)
                .singleOrEmpty();
    }

    private Mono<ServerResponse> response(ChatCompletionChunk first, Flux<ChatCompletionChunk> chunks) {
        Flux<ServerSentEvent<String>> events = chunks.map(chunk -> event(this.json.writeValueAsString(chunk)))
                .concatWith(Mono.just(event("[DONE]")))
                .onErrorResume(error -> Mono.just(event(this.json.writeValueAsString(this.errors.inStream(error)))));
        return ServerResponse.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .header(CacheResultHeaders.CACHE_HIT, Boolean.toString(first.cacheHit()))
                .body(BodyInserters.fromServerSentEvents(events));
    }

    private static ServerSentEvent<String> event(String data) {
        return ServerSentEvent.builder(data).build();
    }

    /** {@code POST /v1/embeddings}, with the vectors as numbers or in base64 as {@code encoding_format} asks. */
    Mono<ServerResponse> embeddings(ServerRequest request) {
        return this.bodies
                .read(request)
                .flatMap(body -> {
                    EmbeddingEncoding encoding = EmbeddingEncoding.of(JsonFields.of(body));
                    return this.completionService
                            .aembedding(this.routes.routable(
                                    EmbeddingRequestReader.read(body, this.limits, this.scopes.apply(request))))
                            .flatMap(response -> CacheResultHeaders.ok(response, encoding.body(response, this.base64)));
                })
                .onErrorResume(this.errors::from);
    }
}
