package io.github.litellmcache.autoconfigure;

import io.github.litellmcache.cache.CacheBackendFactory;
import io.github.litellmcache.cache.CacheType;

/**
 * Makes a cache type available: each backend's configuration registers one when its library is on
 * the classpath.
 *
 * @param type the cache type
 * @param factory creates backends of that type
 */
public record CacheBackendRegistration(CacheType type, CacheBackendFactory factory) {}
