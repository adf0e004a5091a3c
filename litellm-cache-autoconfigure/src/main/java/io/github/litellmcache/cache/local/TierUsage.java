package io.github.litellmcache.cache.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.RemovalListener;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * What an in-process tier (the local cache, a near tier) holds against its bounds, for gauges: read in constant time,
 * never on the hit path, and without running the cache's upkeep. Also the tier's eviction listener, which counts the
 * entries its bounds evicted (not those removed, replaced or expired).
 */
public final class TierUsage implements RemovalListener<Object, Object> {

    private final EntryWeights weights;

    private final LongAdder evictions = new LongAdder();

    private volatile @Nullable Cache<?, ?> cache;

    /** The usage of a tier weighed by {@code weights}, once {@linkplain #of(Cache) told} its cache. */
    public TierUsage(EntryWeights weights) {
        this.weights = weights;
    }

    /** Reads {@code cache}, built with this as its eviction listener; returns it. */
    public <C extends Cache<?, ?>> C of(C cache) {
        this.cache = cache;
        return cache;
    }

    /** The number of entries, approximately. */
    public long entries() {
        Cache<?, ?> cache = this.cache;
        return (cache != null) ? cache.estimatedSize() : 0;
    }

    /**
     * The estimated size of the entries as the memory bound counts it, in bytes: each entry at least one slot of
     * {@code max-memory / maximum-size}, so that reaching {@link #maxBytes()} means evicting.
     */
    public long bytes() {
        Cache<?, ?> cache = this.cache;
        if (cache == null) {
            return 0;
        }
        return cache.policy()
                .eviction()
                .map(eviction -> this.weights.bytes(eviction.weightedSize().orElse(0)))
                .orElse(0L);
    }

    /** The memory bound, in bytes. */
    public long maxBytes() {
        return this.weights.bytes(this.weights.maximumWeight());
    }

    /** How many entries the bounds evicted so far. */
    public long evictions() {
        return this.evictions.sum();
    }

    @Override
    public void onRemoval(@Nullable Object key, @Nullable Object value, RemovalCause cause) {
        if (cause == RemovalCause.SIZE) {
            this.evictions.increment();
        }
    }
}
