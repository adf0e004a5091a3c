package io.github.litellmcache.completion;

import io.github.litellmcache.display.Secrets;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * The provider client: calls OpenAI-compatible APIs ({@code /chat/completions}, {@code /embeddings})
 * and Azure OpenAI ({@code /openai/deployments/<deployment>/...?api-version=}) through WebClient,
 * or the {@link MockProvider} when mocking is enabled or a request carries a {@code mockResponse}.
 * It does not cache: the cache interceptor wraps it. An embedding request that names no
 * {@code encoding_format} asks for {@code base64}, as OpenAI's own SDKs do: a quarter of the bytes of
 * the numbers written out, read into the same {@code float[]}.
 *
 * <p>Every provider call is bounded by the request's {@code timeout}, else by the request timeout
 * given here (LiteLLM's {@code request_timeout}): a whole answer must arrive within it; a stream's
 * first chunk, and each chunk after the one before, must arrive within it, so that a long stream
 * that keeps sending is never cut, while a stream that stalls ends with an error.
 */
public class ProviderCompletionService implements CompletionService {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() {};

    private static final Pattern SECRET_LIKE = Pattern.compile("sk-[A-Za-z0-9_*\\-]{6,}");

    private static final int MAX_ERROR_MESSAGE = 500;

    private final WebClient webClient;
    private final ProviderRouter router;
    private final MockProvider mock;
    private final boolean mockAll;
    private final JsonMapper json;
    private final Duration requestTimeout;

    /**
     * @param requestTimeout the longest a provider call may take when the request sets no
     *     {@code timeout} (for a stream: the longest wait for each chunk)
     */
    public ProviderCompletionService(
            WebClient webClient,
            ProviderRouter router,
            MockProvider mock,
            boolean mockAll,
            JsonMapper json,
            Duration requestTimeout) {
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive, got " + requestTimeout);
        }
        this.requestTimeout = requestTimeout;
        this.webClient = webClient;
        this.router = router;
        this.mock = mock;
        this.mockAll = mockAll;
        this.json = json;
    }

    @Override
    public ChatCompletion completion(ChatCompletionRequest request) {
        return acompletion(request).block();
    }

    @Override
    public Mono<ChatCompletion> acompletion(ChatCompletionRequest request) {
        return Mono.defer(() -> {
            if (isMocked(request)) {
                return this.mock.completion(request);
            }
            ProviderRoute route = this.router.route(request);
            return post(route, request, body(route, request), ChatCompletion.class, "chat", "completions");
        });
    }

    @Override
    public EmbeddingResponse embedding(EmbeddingRequest request) {
        return aembedding(request).block();
    }

    @Override
    public Mono<EmbeddingResponse> aembedding(EmbeddingRequest request) {
        return Mono.defer(() -> {
            if (isMocked(request)) {
                return this.mock.embedding(request);
            }
            ProviderRoute route = this.router.route(request);
            Map<String, Object> body = body(route, request);
            body.putIfAbsent("encoding_format", "base64");
            return post(route, request, body, EmbeddingResponse.class, "embeddings");
        });
    }

    @Override
    public Flux<ChatCompletionChunk> streamCompletion(ChatCompletionRequest request) {
        return Flux.defer(() -> {
            if (isMocked(request)) {
                return this.mock.stream(request);
            }
            ProviderRoute route = this.router.route(request);
            Map<String, Object> body = body(route, request);
            body.put("stream", true);
            StreamEnding ending = new StreamEnding(route.provider());
            Flux<ChatCompletionChunk> chunks = retrieve(route, request, body, MediaType.TEXT_EVENT_STREAM)
                    .bodyToFlux(SSE)
                    .filter(event -> event.data() != null)
                    .takeWhile(event -> ending.isChunk(event.data()))
                    .map(event -> ending.passing(chunk(route, request, event)))
                    .concatWith(Mono.defer(ending::verdict));
            return withErrors(route, request, chunks);
        });
    }

    /**
     * One event of a stream: a chunk, or the error a provider may send in the middle of a stream, as
     * OpenAI does ({@code {"error": ...}}), as an event named {@code error}, or as an error object
     * ({@code {"object": "error", "message": ...}}, as vLLM does). An event with neither {@code choices}
     * nor {@code usage} ({@code data: {}}) is no chunk: it fails the stream, so that nothing malformed is
     * stored; the message does not quote it, as it may carry the answer's text. A chunk without an
     * {@code id} is one: some OpenAI-compatible servers (OpenVINO Model Server, MiniMax) send none.
     */
    private ChatCompletionChunk chunk(ProviderRoute route, LlmRequest request, ServerSentEvent<String> sse) {
        String data = sse.data();
        boolean namedError = "error".equals(sse.event());
        JsonNode event = namedError ? MissingNode.getInstance() : event(route, data);
        if (namedError || isError(event)) {
            throw providerException(
                    route, request, 0, route.provider() + " ended the stream with an error: ", data, null);
        }
        if (!event.hasNonNull("choices") && !event.hasNonNull("usage")) {
            throw new LlmException(
                    0,
                    route.provider() + " sent a stream event with neither choices nor usage (such as data: {}),"
                            + " which is not an OpenAI chat.completion.chunk: check that it streams this model in"
                            + " the OpenAI format");
        }
        return this.json.treeToValue(event, ChatCompletionChunk.class);
    }

    /** The JSON of a stream event; one that is none (cut off, or another format) fails the stream, not quoted. */
    private JsonNode event(ProviderRoute route, String data) {
        try {
            return this.json.readTree(data);
        } catch (StreamConstraintsException beyondLimits) {
            throw beyondLimits;
        } catch (JacksonException notJson) {
            throw new LlmException(
                    0,
                    route.provider() + " sent a stream event that is not JSON: its stream was cut in the middle of"
                            + " an event, or is not in the OpenAI format",
                    notJson);
        }
    }

    /** Whether {@code answer} is an error body: OpenAI's ({@code {"error": ...}}) or vLLM's ({@code "object": "error"}). */
    private static boolean isError(JsonNode answer) {
        return answer.hasNonNull("error") || "error".equals(text(answer, "object"));
    }

    private boolean isMocked(LlmRequest request) {
        return this.mockAll || request.mockResponse() != null;
    }

    /** The provider's answer read as {@code type}, an answer that cannot be read being an {@link LlmException}. */
    private <T> Mono<T> post(
            ProviderRoute route, LlmRequest request, Map<String, Object> body, Class<T> type, String... path) {
        Mono<T> answer = retrieve(route, request, body, MediaType.APPLICATION_JSON, path)
                .bodyToMono(String.class)
                .switchIfEmpty(Mono.error(() -> new LlmException(
                        0,
                        route.provider() + " answered with an empty body: check that api-base is the address of an"
                                + " OpenAI-compatible API")))
                .map(answered -> answer(route, request, answered, type));
        return withErrors(route, request, answer);
    }

    /**
     * The request sent, its answer refused when it is an HTTP error, a redirect (which the client does not follow) or
     * an HTML page (a proxy's or a captive portal's, answering in the provider's place).
     */
    private WebClient.ResponseSpec retrieve(
            ProviderRoute route, LlmRequest request, Map<String, Object> body, MediaType accept, String... path) {
        return send(route, request, body, path)
                .accept(accept)
                .retrieve()
                .onStatus(HttpStatusCode::isError, response -> toException(route, request, response))
                .onStatus(
                        HttpStatusCode::is3xxRedirection,
                        response -> Mono.error(new LlmException(
                                0,
                                route.provider() + " answered with a redirect (HTTP "
                                        + response.statusCode().value()
                                        + "), which is not followed: set its api-base to the address it redirects to")))
                .onStatus(HttpStatusCode::is2xxSuccessful, response -> notAnAnswer(route, request, response, accept));
    }

    /**
     * Nothing when a success can be the answer asked for, else its error: an HTML page (a proxy's or a login page's,
     * in the provider's place), or JSON where a stream was asked for (the provider's error when it is one).
     */
    private Mono<LlmException> notAnAnswer(
            ProviderRoute route, LlmRequest request, ClientResponse response, MediaType accept) {
        MediaType type = response.headers().contentType().orElse(null);
        if (type == null) {
            return Mono.empty();
        }
        if (MediaType.TEXT_HTML.isCompatibleWith(type)) {
            return Mono.just(new LlmException(
                    0,
                    route.provider() + " answered with an HTML page (text/html), not an API answer: a proxy or a"
                            + " login page may be answering in its place; check its api-base and the network's proxy"));
        }
        if (accept.equals(MediaType.TEXT_EVENT_STREAM) && MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
            return response.bodyToMono(String.class)
                    .defaultIfEmpty("")
                    .map(body -> isError(tree(body))
                            ? errorAnswer(route, request, body)
                            : new LlmException(
                                    0,
                                    route.provider() + " answered a stream with JSON, not server-sent events"
                                            + " (text/event-stream): check that it streams this model"));
        }
        return Mono.empty();
    }

    /**
     * The provider's answer read as {@code type}; an error body sent with a success status is the provider's error,
     * and a choice without a message is no OpenAI answer.
     */
    private <T> T answer(ProviderRoute route, LlmRequest request, String body, Class<T> type) {
        T answer = this.json.readValue(body, type);
        if (answer instanceof LlmResponse response && !response.isCacheable() && isError(tree(body))) {
            throw errorAnswer(route, request, body);
        }
        if (answer instanceof ChatCompletion completion
                && completion.choices().stream().anyMatch(choice -> choice.message() == null)) {
            throw new LlmException(
                    0,
                    route.provider() + " answered with a choice without a message, which is not an OpenAI"
                            + " chat.completion: check that it serves this model in the OpenAI format");
        }
        return answer;
    }

    /** The provider's error, sent as the body of a success. */
    private LlmException errorAnswer(ProviderRoute route, LlmRequest request, String body) {
        return providerException(route, request, 0, route.provider() + " answered with an error: ", body, null);
    }

    private Map<String, Object> body(ProviderRoute route, LlmRequest request) {
        Map<String, Object> body = new LinkedHashMap<>(request.params());
        body.put("model", route.model());
        return body;
    }

    private WebClient.RequestHeadersSpec<?> send(
            ProviderRoute route, LlmRequest request, Map<String, Object> body, String... path) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(route.apiBase());
        if (route.provider().equals(ProviderRoute.AZURE)) {
            uri.pathSegment("openai", "deployments", route.model()).pathSegment(path);
            uri.queryParam("api-version", route.apiVersion());
        } else {
            uri.pathSegment(path);
        }
        URI target = uri.encode().build().toUri();
        return this.webClient
                .post()
                .uri(target)
                .headers(headers -> {
                    if (route.apiKey() != null) {
                        if (route.provider().equals(ProviderRoute.AZURE)) {
                            headers.set("api-key", route.apiKey());
                        } else {
                            headers.setBearerAuth(route.apiKey());
                        }
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(this.json.writeValueAsString(body));
    }

    private <T> Mono<T> withErrors(ProviderRoute route, LlmRequest request, Mono<T> answer) {
        Duration timeout = timeout(request);
        return answer.timeout(timeout).onErrorMap(error -> ExchangeFailures.toLlmException(route, timeout, error));
    }

    /** A stream whose first chunk, and each chunk after the one before, comes within the timeout. */
    private <T> Flux<T> withErrors(ProviderRoute route, LlmRequest request, Flux<T> answer) {
        Duration timeout = timeout(request);
        return answer.timeout(timeout).onErrorMap(error -> ExchangeFailures.toLlmException(route, timeout, error));
    }

    private Duration timeout(LlmRequest request) {
        Duration timeout = request.timeout();
        return (timeout != null) ? timeout : this.requestTimeout;
    }

    private Mono<LlmException> toException(ProviderRoute route, LlmRequest request, ClientResponse response) {
        int status = response.statusCode().value();
        Duration retryAfter = RetryAfter.of(response.headers().asHttpHeaders());
        return response.bodyToMono(String.class)
                .defaultIfEmpty("")
                .map(body -> providerException(
                        route,
                        request,
                        status,
                        route.provider() + " returned HTTP " + status + ": ",
                        body,
                        retryAfter));
    }

    /**
     * The exception for a provider's error {@code body}, read once: its message after {@code what}, and
     * the type, code and param of an OpenAI error body (null in another body) with the wait it asked for.
     */
    private LlmException providerException(
            ProviderRoute route,
            LlmRequest request,
            int status,
            String what,
            String body,
            @Nullable Duration retryAfter) {
        JsonNode error = tree(body).path("error");
        return new LlmException(
                status,
                what + providerMessage(route, request, body, error),
                new LlmException.ProviderError(
                        text(error, "type"), text(error, "code"), text(error, "param"), retryAfter));
    }

    private static @Nullable String text(JsonNode error, String field) {
        JsonNode value = error.path(field);
        return value.isString() ? value.asString() : null;
    }

    private JsonNode tree(String body) {
        try {
            return this.json.readTree(body);
        } catch (JacksonException notJson) {
            return MissingNode.getInstance();
        }
    }

    /**
     * The message of {@code error}, or the whole {@code body} when it has none; API keys and what it
     * quotes of the request's prompt removed, shortened.
     */
    private String providerMessage(ProviderRoute route, LlmRequest request, String body, JsonNode error) {
        JsonNode said = error.path("message").isString() ? error.path("message") : error;
        String message = said.isString()
                ? redacted(route, said.asString())
                : redacted(route, shown(redacted(route, body), request));
        String shown = PromptEcho.hidden(message, MAX_ERROR_MESSAGE, request);
        return (message.length() > MAX_ERROR_MESSAGE) ? shown + "..." : shown;
    }

    private static String redacted(ProviderRoute route, String text) {
        String redacted = Secrets.redact(text, Collections.singletonList(route.apiKey()));
        return SECRET_LIKE.matcher(redacted).replaceAll("sk-" + Secrets.MASK);
    }

    /**
     * A body that is not OpenAI's error: as it is, or, when it is JSON (an object, an array or a
     * string), written compactly with the prompt hidden in its decoded strings (its API keys redacted
     * before, so that none is cut in two, and after, in case it held one escaped).
     */
    private String shown(String body, LlmRequest request) {
        JsonNode tree = tree(body);
        return (tree.isContainer() || tree.isString())
                ? this.json.writeValueAsString(PromptEcho.hiddenInStrings(tree, MAX_ERROR_MESSAGE, request))
                : body;
    }
}
