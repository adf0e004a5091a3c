package io.github.litellmcache.cache;

import io.github.litellmcache.completion.LlmResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How one call uses the cache, decided once before it reads.
 *
 * @param callType the kind of call
 * @param backend the backend the call uses from start to end
 * @param key where its entry is
 * @param read whether it may be answered from the cache
 * @param write whether its answer may be stored
 * @param ttl how long its answer lives, null for ever
 * @param sMaxAge the oldest entry it accepts, null for any
 * @param responseType the kind of response that may answer it
 */
record CachePlan(
        CallType callType,
        CacheBackend backend,
        CacheKey key,
        boolean read,
        boolean write,
        @Nullable Duration ttl,
        @Nullable Duration sMaxAge,
        Class<? extends LlmResponse> responseType) {}
