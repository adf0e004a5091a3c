package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheOutcome;
import io.github.litellmcache.completion.LlmResponse;

/**
 * An entry that answers a call, and what the cache did to get it: {@link CacheOutcome#HIT} when it
 * came from the cache (or from the identical call in flight), {@link CacheOutcome#MISS} when the
 * provider gave it, {@link CacheOutcome#STALE} when the provider failed and an entry past its TTL
 * answers.
 */
record Answer(CacheEntry entry, CacheOutcome outcome) {

    /** The same entry as those who joined a flight get it: from the cache. */
    Answer asHit() {
        return isHit() ? this : new Answer(this.entry, CacheOutcome.HIT);
    }

    /**
     * Whether the callers who joined the flight of the call it answered may take it: not a stale
     * answer, which is the leader's own, nor a {@link CacheOutcome#BYPASS}, which answers the leader's
     * request only (embedding items whose keys collide: the flight's key may be shared by other input).
     */
    boolean isForFollowers() {
        return this.outcome == CacheOutcome.HIT || this.outcome == CacheOutcome.MISS;
    }

    private boolean isHit() {
        return this.outcome == CacheOutcome.HIT || this.outcome == CacheOutcome.STALE;
    }

    /** The entry's response, marked with the outcome and {@code key}. */
    LlmResponse response(CachePlan plan) {
        return this.entry
                .response()
                .withCacheResult(
                        isHit(), this.outcome == CacheOutcome.STALE, plan.key().key());
    }
}
