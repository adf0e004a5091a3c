package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.completion.LlmResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * @param staleIfError how long its answer is kept past its TTL, and how long past its TTL an entry
 *     may answer when the provider fails; null for neither
 * @param responseType the kind of response that may answer it
 * @param maxStreamBytes the most bytes of a streamed answer's chunks (as JSON) recorded to be stored
 */
record CachePlan(
        CallType callType,
        CacheKey key,
        boolean read,
        boolean write,
        @Nullable Duration ttl,
        @Nullable Duration sMaxAge,
        @Nullable Duration staleIfError,
        Class<? extends LlmResponse> responseType,
        long maxStreamBytes) {

    /**
     * Whether {@code entry} may answer the call now: of the right kind, within its TTL and young enough
     * (the clock is read only when the entry knows the end of its TTL or the call has an {@code sMaxAge}).
     */
    boolean accepts(@Nullable CacheEntry entry, Clock clock) {
        if (entry == null || !this.responseType.isInstance(entry.response())) {
            return false;
        }
        if (entry.freshUntil() == null && this.sMaxAge == null) {
            return true;
        }
        Instant now = clock.instant();
        return !entry.isStaleAt(now)
                && (this.sMaxAge == null || entry.storedAt().plus(this.sMaxAge).isAfter(now));
    }

    /**
     * Whether {@code entry}, which the call does not {@linkplain #accepts accept}, may answer it when the
     * provider fails: the call has a {@code staleIfError}, and the entry is of the right kind and its TTL
     * ended less than that long ago (RFC 5861: whatever its age, as for {@code sMaxAge}).
     */
    boolean keepsAsStale(@Nullable CacheEntry entry, Clock clock) {
        return this.staleIfError != null
                && entry != null
                && this.responseType.isInstance(entry.response())
                && (entry.freshUntil() == null
                        || entry.freshUntil().plus(this.staleIfError).isAfter(clock.instant()));
    }

    /** {@code entry} as it is stored: when the call keeps it past its TTL, with the end of its TTL. */
    CacheEntry stored(CacheEntry entry) {
        return keptPastTtl() ? entry.withFreshUntil(entry.storedAt().plus(this.ttl)) : entry;
    }

    /** How long the store keeps the call's answer: its TTL, and {@code staleIfError} beyond it. */
    @Nullable
    Duration storedFor() {
        return keptPastTtl() ? this.ttl.plus(this.staleIfError) : this.ttl;
    }

    private boolean keptPastTtl() {
        return this.ttl != null && this.staleIfError != null && !this.staleIfError.isZero();
    }

    /** Whether {@code response} may be stored: the call may write, and the response is worth it. */
    boolean stores(LlmResponse response) {
        return this.write && response.isCacheable();
    }
}
