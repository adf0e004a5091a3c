package io.github.litellmcache.completion;

/**
 * A provider answered with an HTTP error, or could not be reached. Errors are never cached. The
 * message is the provider's own, with any API key removed.
 */
public class LlmException extends RuntimeException {

    private final int statusCode;

    public LlmException(int statusCode, String message) {
        super(message);
        this.statusCode = statusCode;
    }

    public LlmException(int statusCode, String message, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
    }

    /** The provider's HTTP status code, or 0 when no HTTP response was received. */
    public int statusCode() {
        return this.statusCode;
    }
}
