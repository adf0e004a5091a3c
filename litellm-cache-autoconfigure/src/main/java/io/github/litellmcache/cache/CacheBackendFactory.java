package io.github.litellmcache.cache;

/** Creates the backend that {@link CacheSettings} describe, for startup and for {@link LlmCache#update}. */
@FunctionalInterface
public interface CacheBackendFactory {

    /**
     * A new backend for {@code settings}. It must not block or fail when the store is unreachable: a
     * remote backend connects in the background, as the guard of the backend warms it up.
     */
    CacheBackend create(CacheSettings settings);
}
