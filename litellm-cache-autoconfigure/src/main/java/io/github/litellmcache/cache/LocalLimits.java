package io.github.litellmcache.cache;

import io.github.litellmcache.display.PropertyValues;
import org.springframework.util.unit.DataSize;

/**
 * The bounds of the in-process cache ({@code litellm.cache.local.*}); both apply.
 *
 * @param maximumSize most entries kept; the least used are evicted beyond it
 * @param maxMemory most heap all entries kept hold, as estimated when each is stored (every chunk of a stored stream,
 *     the assembled response with its logprobs and other fields, every embedding vector); the least used are evicted
 *     beyond it
 */
public record LocalLimits(long maximumSize, DataSize maxMemory) {

    public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

    public static final DataSize DEFAULT_MAX_MEMORY = DataSize.ofMegabytes(64);

    /** The limits of {@code CacheSettings.defaults()}. */
    public static final LocalLimits DEFAULTS = new LocalLimits(DEFAULT_MAXIMUM_SIZE, DEFAULT_MAX_MEMORY);

    /** @throws CacheConfigurationException for a negative size, or a memory bound that is not positive */
    public LocalLimits {
        if (maximumSize < 0) {
            throw CacheConfigurationException.invalid(
                    "litellm.cache.local.maximum-size",
                    "LocalLimits.maximumSize",
                    maximumSize,
                    "a number of entries of 0 or more");
        }
        SizeSettings.positive(maxMemory, "litellm.cache.local.max-memory", "LocalLimits.maxMemory", "64MB");
    }

    /** {@code maximumSize} entries within the default memory bound. */
    public LocalLimits(long maximumSize) {
        this(maximumSize, DEFAULT_MAX_MEMORY);
    }

    @Override
    public String toString() {
        return "LocalLimits[maximumSize=" + this.maximumSize + ", maxMemory=" + PropertyValues.of(this.maxMemory) + "]";
    }
}
