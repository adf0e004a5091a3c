/** The cache around {@code CompletionService}: keys, options, settings, the runtime switch {@link io.github.litellmcache.cache.LlmCache} and the {@link io.github.litellmcache.cache.CacheBackend} SPI. */
@NullMarked
package io.github.litellmcache.cache;

import org.jspecify.annotations.NullMarked;
