package io.github.litellmcache.cache;

import io.github.litellmcache.completion.EmbeddingResponse;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a read found: an entry, a miss, or a failure of the backend, after which the call does not
 * write either, so that a slow or failing backend delays it at most once.
 *
 * @param entry the usable entry, or null
 * @param failed whether the backend failed
 */
record Lookup(@Nullable CacheEntry entry, boolean failed) {

    static final Lookup MISS = new Lookup(null, false);

    static final Lookup FAILED = new Lookup(null, true);

    static Lookup of(@Nullable CacheEntry entry) {
        return (entry != null) ? new Lookup(entry, false) : MISS;
    }

    /**
     * What a read of embedding items found.
     *
     * @param hits the usable entries of the items found
     * @param failed whether the backend failed
     */
    record Items(Map<CacheKey, EmbeddingResponse> hits, boolean failed) {}
}
