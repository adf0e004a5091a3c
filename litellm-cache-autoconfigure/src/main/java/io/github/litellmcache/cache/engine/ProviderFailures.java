package io.github.litellmcache.cache.engine;

import io.github.litellmcache.completion.LlmException;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * What a failed provider call says: whether the provider is down, so that a stale entry may answer
 * ({@link #isOutage}), and whether the failure belongs to the caller, so that single-flight followers
 * do not inherit it ({@link #isCallersOwn}).
 */
final class ProviderFailures {

    private ProviderFailures() {}

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

    /**
     * Whether {@code error} belongs to the call that got it rather than to the provider: a
     * cancellation, a timeout, or a refusal of its credentials or its rate (401, 403, 408, 429).
     */
    static boolean isCallersOwn(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof CancellationException || cause instanceof TimeoutException) {
                return true;
            }
            if (cause instanceof LlmException llm) {
                int status = llm.statusCode();
                if (status == 401 || status == 403 || status == 408 || status == 429) {
                    return true;
                }
            }
        }
        return false;
    }
}
