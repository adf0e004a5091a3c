package io.github.litellmcache.cache;

import io.github.litellmcache.completion.LlmResponse;
import java.time.Instant;

/**
 * A stored response and when it was stored (for {@code sMaxAge}).
 *
 * @param response the response as the provider gave it
 * @param storedAt when it was stored
 */
public record CacheEntry(LlmResponse response, Instant storedAt) {}
