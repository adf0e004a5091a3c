package io.github.litellmcache.cache;

/**
 * An operation on a {@linkplain CacheBackend#close() closed} backend, refused, or failed by the closing (a command in
 * flight on a connection the backend closed): the cache no longer uses it (the application is shutting down), so the
 * refusal is no failure of the store. It is logged at debug level only, and neither counted as an error nor by the
 * circuit breaker.
 */
public class CacheBackendClosedException extends IllegalStateException {

    /** The refusal of the backend called {@code backend} in the message, such as {@code Redis}. */
    public CacheBackendClosedException(String backend) {
        super("the " + backend + " cache backend is closed");
    }

    /** An operation of the backend called {@code backend} that failed with {@code cause} as the backend closed. */
    public CacheBackendClosedException(String backend, Throwable cause) {
        super("the " + backend + " cache backend is closed", cause);
    }
}
