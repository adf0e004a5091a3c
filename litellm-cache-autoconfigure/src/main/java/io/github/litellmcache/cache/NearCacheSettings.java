package io.github.litellmcache.cache;

import io.github.litellmcache.display.PropertyValues;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * The in-process tier in front of Redis or S3 ({@code litellm.cache.near.*}). It has no effect on a local cache.
 *
 * @param enabled whether remote backends get a near tier
 * @param maxMemory the most heap all near entries hold, estimated as local entries are; the least used are evicted
 *     beyond it
 * @param ttl how long a near entry of S3 lives at most: the bound on its staleness, as S3 sends no invalidations
 */
public record NearCacheSettings(boolean enabled, DataSize maxMemory, Duration ttl) {

    public static final DataSize DEFAULT_MAX_MEMORY = DataSize.ofMegabytes(32);

    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

    /** No near tier, with the default bounds. */
    public static final NearCacheSettings DEFAULTS = new NearCacheSettings(false, DEFAULT_MAX_MEMORY, DEFAULT_TTL);

    /** @throws CacheConfigurationException for a size or TTL that is zero, negative or over ten years */
    public NearCacheSettings {
        SizeSettings.positive(maxMemory, "litellm.cache.near.max-memory", "NearCacheSettings.maxMemory", "32MB");
        DurationSettings.positive(ttl, "litellm.cache.near.ttl", "NearCacheSettings.ttl", "30s");
    }

    @Override
    public String toString() {
        return "NearCacheSettings[enabled=" + this.enabled + ", maxMemory=" + PropertyValues.of(this.maxMemory)
                + ", ttl=" + PropertyValues.of(this.ttl) + "]";
    }
}
