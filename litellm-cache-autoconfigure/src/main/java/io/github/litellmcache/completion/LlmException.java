package io.github.litellmcache.completion;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A provider answered with an HTTP error, or could not be reached. Errors are never cached. The
 * message is the provider's own, with any API key removed.
 */
public class LlmException extends RuntimeException {

    private final int statusCode;

    private final ProviderError providerError;

    public LlmException(int statusCode, String message) {
        this(statusCode, message, ProviderError.NONE);
    }

    public LlmException(int statusCode, String message, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
        this.providerError = ProviderError.NONE;
    }

    /** @param providerError what the provider's error body said besides its message */
    public LlmException(int statusCode, String message, ProviderError providerError) {
        super(message);
        this.statusCode = statusCode;
        this.providerError = providerError;
    }

    /** The provider's HTTP status code, or 0 when no HTTP response was received. */
    public int statusCode() {
        return this.statusCode;
    }

    /** The {@code type}, {@code code} and {@code param} of the provider's error body; {@link ProviderError#NONE} when it sent none. */
    public ProviderError providerError() {
        return this.providerError;
    }

    /**
     * What the provider said of its error besides the message, that callers branch on: the fields of an
     * OpenAI error body ({@code {"error": {"message", "type", "param", "code"}}}), such as
     * {@code code: "context_length_exceeded"}, each null when the provider did not send it as a string;
     * and how long it asked to wait before a retry ({@code retry-after-ms}, else {@code Retry-After}),
     * null when it did not say, or said more than a day.
     */
    public record ProviderError(
            @Nullable String type,
            @Nullable String code,
            @Nullable String param,
            @Nullable Duration retryAfter) {

        /** A provider error that said nothing besides its message, or no provider error at all. */
        public static final ProviderError NONE = new ProviderError(null, null, null, null);
    }
}
