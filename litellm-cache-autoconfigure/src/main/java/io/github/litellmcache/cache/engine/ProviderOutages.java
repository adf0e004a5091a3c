package io.github.litellmcache.cache.engine;

import io.github.litellmcache.completion.LlmException;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a provider that is down from one that refused the request: the errors after which a stale entry
 * may answer ({@code staleIfError}, RFC 5861's errors that a gateway answers with 500, 502, 503 or 504).
 */
final class ProviderOutages {

    private ProviderOutages() {}

    /**
     * Whether {@code error} is a server error (5xx), no HTTP answer at all (a timeout, a connection
     * failure, a body that is not an answer: status 0), or a timeout or I/O failure of a provider that
     * does not speak HTTP; never a 4xx, which says the request itself is wrong, nor a cancellation.
     */
    static boolean isOutage(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof CancellationException) {
                return false;
            }
            if (cause instanceof LlmException llm) {
                return llm.statusCode() == 0 || llm.statusCode() >= 500;
            }
            if (cause instanceof TimeoutException || cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
