package io.github.litellmcache.cache.local;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheEntryCodec;
import io.github.litellmcache.cache.LocalLimits;

/**
 * Both bounds of {@link LocalLimits} as the one weight bound Caffeine allows (it takes either a maximum size or a
 * maximum weight, never both). An entry weighs its estimated size, but never less than one slot,
 * {@code maxMemory / maximumSize}; the total weight is bounded by {@code maxMemory}. Then the estimated sizes add up
 * to at most {@code maxMemory}, and at most {@code maximumSize} entries fit, since each weighs a slot or more. The
 * bound is conservative: a mix of entries is evicted once the sum of each entry's larger share reaches the bound, so
 * at worst when either limit is half used.
 *
 * <p>An entry's size is estimated as the length of its JSON envelope ({@link CacheEntryCodec}, what Redis and S3
 * store): every chunk of a stored stream, the assembled response and every embedding vector. Weights are counted in
 * units of bytes large enough that the bound fits Caffeine's {@code int} weights. The near tier weighs its entries
 * the same way.
 */
public final class EntryWeights {

    private final CacheEntryCodec codec = new CacheEntryCodec();

    private final long unit;

    private final long maximumWeight;

    private final long slot;

    public EntryWeights(LocalLimits limits) {
        long maxMemory = limits.maxMemory().toBytes();
        this.unit = Math.max(1, ceilDiv(maxMemory, Integer.MAX_VALUE));
        this.maximumWeight = (limits.maximumSize() == 0) ? 0 : maxMemory / this.unit;
        this.slot = (limits.maximumSize() == 0) ? 1 : Math.max(1, ceilDiv(this.maximumWeight, limits.maximumSize()));
    }

    /** The bound of the total weight. */
    public long maximumWeight() {
        return this.maximumWeight;
    }

    /** The weight of an entry of {@code estimatedSize} bytes: that size in units, at least one slot. */
    public int weigh(long estimatedSize) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(this.slot, ceilDiv(estimatedSize, this.unit)));
    }

    /** The estimated size of {@code entry} in bytes: the length of its JSON envelope. */
    public long estimatedSize(CacheEntry entry) {
        return this.codec.encode(entry).length;
    }

    /** The estimated size in bytes of entries weighing {@code weight} in all. */
    public long bytes(long weight) {
        return weight * this.unit;
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }
}
