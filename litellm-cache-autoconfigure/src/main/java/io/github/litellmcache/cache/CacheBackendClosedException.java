package io.github.litellmcache.cache;

/**
 * An operation on a {@linkplain CacheBackend#close() closed} backend, refused: the cache no longer uses it (the
 * application is shutting down), so the refusal is no failure of the store, and is logged at debug level only.
 */
public class CacheBackendClosedException extends IllegalStateException {

    /** The refusal of the backend called {@code backend} in the message, such as {@code Redis}. */
    public CacheBackendClosedException(String backend) {
        super("the " + backend + " cache backend is closed");
    }
}
