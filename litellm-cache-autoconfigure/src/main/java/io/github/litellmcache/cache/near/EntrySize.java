package io.github.litellmcache.cache.near;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheEntryCodec;

/**
 * The estimated memory of a near entry: its stored JSON and its key, counted twice over for the objects they
 * are decoded into. Taken once, when the entry is put, never on a hit.
 */
final class EntrySize {

    /** Fixed costs of an entry: the map node, the holder, the response and its lists. */
    private static final int OVERHEAD = 256;

    private final CacheEntryCodec codec = new CacheEntryCodec();

    int bytes(String key, CacheEntry entry) {
        long estimate = OVERHEAD + 2L * key.length() + 2L * this.codec.encode(entry).length;
        return (int) Math.min(Integer.MAX_VALUE, estimate);
    }
}
