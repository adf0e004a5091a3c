package io.github.litellmcache.cache;

/**
 * The bounds of the in-process cache ({@code litellm.cache.local.*}).
 *
 * @param maximumSize most entries kept; the least used are evicted beyond it
 */
public record LocalLimits(long maximumSize) {

    public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

    /** The limits of {@code CacheSettings.defaults()}. */
    public static final LocalLimits DEFAULTS = new LocalLimits(DEFAULT_MAXIMUM_SIZE);

    /** @throws CacheConfigurationException for a negative size */
    public LocalLimits {
        if (maximumSize < 0) {
            throw CacheConfigurationException.invalid(
                    "litellm.cache.local.maximum-size",
                    "LocalLimits.maximumSize",
                    maximumSize,
                    "a number of entries of 0 or more");
        }
    }
}
