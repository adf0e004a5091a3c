package io.github.litellmcache.sample.web;

import io.github.litellmcache.completion.LlmException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.core.publisher.Mono;

/**
 * Turns a failed call into OpenAI's error body,
 * {@code {"error":{"message":...,"type":...,"param":...,"code":...}}}, which OpenAI clients read
 * into their exceptions: an invalid request is a 400 whose {@code param} names the field when the
 * request readers know it ({@link InvalidRequestException}), and null for what the library refuses
 * later; a provider error ({@link LlmException}) keeps the provider's
 * status (504 when it did not answer in time, 502 when it gave none) and its {@code type},
 * {@code code} and {@code param} ({@link LlmException#providerError()}), with the providers'
 * addresses hidden
 * ({@link UpstreamAddresses}); a body over {@code sample.limits.max-body-size} is a 413 and one of
 * another content type a 415. {@code param} and {@code code} are null when unknown, as OpenAI sends
 * them. A stream that fails after its first chunk ends with the same body as an event
 * ({@link #inStream}).
 */
final class OpenAiErrorResponses {

    private static final Log logger = LogFactory.getLog(OpenAiErrorResponses.class);

    static final String INVALID_REQUEST = "invalid_request_error";

    static final String API_ERROR = "api_error";

    private final UpstreamAddresses upstreams;

    OpenAiErrorResponses(UpstreamAddresses upstreams) {
        this.upstreams = upstreams;
    }

    /** The answer to a call that failed before its response began. */
    Mono<ServerResponse> from(Throwable error) {
        OpenAiError answer = describe(error);
        return ServerResponse.status(answer.status())
                .contentType(MediaType.APPLICATION_JSON)
                .headers(headers -> askedWait(error, headers))
                .bodyValue(answer.body());
    }

    /**
     * The wait a provider asked for before a retry, as OpenAI sends it ({@code retry-after-ms}, and
     * {@code Retry-After} in whole seconds), so that clients wait as long.
     */
    private static void askedWait(Throwable error, HttpHeaders headers) {
        Duration wait =
                (error instanceof LlmException llm) ? llm.providerError().retryAfter() : null;
        if (wait != null) {
            headers.set("retry-after-ms", Long.toString(wait.toMillis()));
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString((wait.toMillis() + 999) / 1000));
        }
    }

    /**
     * The error body of a stream that failed after its first chunk, when its status has been sent:
     * OpenAI sends it as one more event, which clients raise as an error.
     */
    Map<String, Object> inStream(Throwable error) {
        return describe(error).body();
    }

    private OpenAiError describe(Throwable error) {
        if (error instanceof InvalidRequestException invalid) {
            return openAiError(
                    HttpStatus.BAD_REQUEST, INVALID_REQUEST, invalid.getMessage(), invalid.param(), invalid.code());
        }
        if (error instanceof IllegalArgumentException) {
            return openAiError(HttpStatus.BAD_REQUEST, INVALID_REQUEST, error.getMessage());
        }
        if (error instanceof RequestTooLargeException) {
            return openAiError(HttpStatus.CONTENT_TOO_LARGE, INVALID_REQUEST, error.getMessage());
        }
        if (error instanceof LlmException llm) {
            HttpStatusCode status = (llm.statusCode() > 0)
                    ? HttpStatusCode.valueOf(llm.statusCode())
                    : (llm.getCause() instanceof TimeoutException)
                            ? HttpStatus.GATEWAY_TIMEOUT
                            : HttpStatus.BAD_GATEWAY;
            LlmException.ProviderError said = llm.providerError();
            String type = (said.type() != null) ? said.type() : status.is4xxClientError() ? INVALID_REQUEST : API_ERROR;
            return openAiError(
                    status, type, this.upstreams.hide(String.valueOf(llm.getMessage())), said.param(), said.code());
        }
        if (error instanceof UnsupportedMediaTypeStatusException) {
            return openAiError(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE, INVALID_REQUEST, "the Content-Type must be application/json");
        }
        if (error instanceof ResponseStatusException status) {
            return openAiError(status.getStatusCode(), INVALID_REQUEST, status.getReason());
        }
        logger.error("Unexpected failure of a call", error);
        return openAiError(HttpStatus.INTERNAL_SERVER_ERROR, API_ERROR, "internal error");
    }

    private static OpenAiError openAiError(HttpStatusCode status, String type, @Nullable String message) {
        return openAiError(status, type, message, null, null);
    }

    private static OpenAiError openAiError(
            HttpStatusCode status,
            String type,
            @Nullable String message,
            @Nullable String param,
            @Nullable String code) {
        Map<String, @Nullable Object> error = new LinkedHashMap<>();
        error.put("message", (message != null) ? message : status.toString());
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return new OpenAiError(status, Map.of("error", error));
    }

    private record OpenAiError(HttpStatusCode status, Map<String, Object> body) {}
}
