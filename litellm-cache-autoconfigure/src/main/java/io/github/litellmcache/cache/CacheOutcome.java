package io.github.litellmcache.cache;

import io.github.litellmcache.display.PropertyValues;

/**
 * What the cache did for one call: the one answer to "what happened", told to the recorders (the
 * {@code result} tag of {@code litellm.cache.requests}) and carried by the engine from the read to
 * the report.
 */
public enum CacheOutcome {

    /** Answered from the cache. */
    HIT,

    /** Looked up, not found: answered by the provider. */
    MISS,

    /**
     * Answered from an entry past its TTL because the provider failed with a server error, a timeout or
     * a connection failure ({@code staleIfError}).
     */
    STALE,

    /** The call did not use the cache (disabled, unsupported call type, {@code caching(false)}, default-off). */
    BYPASS;

    /** The tag value: {@code hit}, {@code miss}, {@code stale} or {@code bypass}. */
    public String tagValue() {
        return PropertyValues.of(this);
    }
}
