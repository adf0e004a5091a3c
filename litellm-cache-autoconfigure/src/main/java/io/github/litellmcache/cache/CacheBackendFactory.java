package io.github.litellmcache.cache;

/** Creates the backend that {@link CacheSettings} describe, for startup and for {@link LlmCache#update}. */
@FunctionalInterface
public interface CacheBackendFactory {

    /** A new backend for {@code settings}; it must not connect before its first use. */
    CacheBackend create(CacheSettings settings);
}
