package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.completion.LlmResponse;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How one call uses the cache, decided once by the {@link CachePolicy} before it reads.
 *
 * @param callType the kind of call
 * @param key where its entry is
 * @param read whether it may be answered from the cache
 * @param write whether its answer may be stored
 * @param ttl how long its answer lives, null for ever
 * @param sMaxAge the oldest entry it accepts, null for any
 * @param responseType the kind of response that may answer it
 */
record CachePlan(
        CallType callType,
        CacheKey key,
        boolean read,
        boolean write,
        @Nullable Duration ttl,
        @Nullable Duration sMaxAge,
        Class<? extends LlmResponse> responseType) {

    /**
     * Whether {@code entry} may answer the call now: of the right kind and young enough (the clock is
     * read only when the call has an {@code sMaxAge}).
     */
    boolean accepts(@Nullable CacheEntry entry, Clock clock) {
        return entry != null
                && this.responseType.isInstance(entry.response())
                && (this.sMaxAge == null || entry.storedAt().plus(this.sMaxAge).isAfter(clock.instant()));
    }

    /** Whether {@code response} may be stored: the call may write, and the response is worth it. */
    boolean stores(LlmResponse response) {
        return this.write && response.isCacheable();
    }
}
