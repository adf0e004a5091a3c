package io.github.litellmcache.cache.local;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.LocalLimits;
import io.github.litellmcache.completion.RetainedSize;
import java.util.Arrays;

/**
 * Both bounds of {@link LocalLimits} as the one weight bound Caffeine allows (it takes either a maximum size or a
 * maximum weight, never both). An entry weighs its estimated size, but never less than one slot,
 * {@code maxMemory / maximumSize}; the total weight is bounded by {@code maxMemory}. Then the estimated sizes add up
 * to at most {@code maxMemory}, and at most {@code maximumSize} entries fit, since each weighs a slot or more. The
 * bound is conservative: a mix of entries is evicted once the sum of each entry's larger share reaches the bound, so
 * at worst when either limit is half used.
 *
 * <p>An entry's size is the heap it retains, as {@link RetainedSize} estimates it in one walk when the entry is put
 * (never when it is read): every chunk of a stored stream, the assembled response with its {@code logprobs} and other
 * fields, and every embedding vector, so that entries whose objects outweigh their JSON many times (logprobs, many
 * small chunks) are bounded by what they really hold. An entry past {@code maxMemory} is measured no further. Weights
 * are counted in units of bytes large enough that the bound fits Caffeine's {@code int} weights. The near tier weighs
 * its entries the same way.
 */
public final class EntryWeights {

    private final long maxMemory;

    private final long unit;

    private final long maximumWeight;

    private final long slot;

    public EntryWeights(LocalLimits limits) {
        this.maxMemory = limits.maxMemory().toBytes();
        this.unit = Math.max(1, ceilDiv(this.maxMemory, Integer.MAX_VALUE));
        this.maximumWeight = (limits.maximumSize() == 0) ? 0 : this.maxMemory / this.unit;
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

    /** The estimated heap {@code entry} retains, in bytes, or a number over {@code maxMemory} when it is larger. */
    public long estimatedSize(CacheEntry entry) {
        return RetainedSize.of(
                Arrays.asList(entry.response(), entry.storedAt(), entry.chunks(), entry.freshUntil()), this.maxMemory);
    }

    /** The estimated size in bytes of entries weighing {@code weight} in all. */
    public long bytes(long weight) {
        return weight * this.unit;
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }
}
