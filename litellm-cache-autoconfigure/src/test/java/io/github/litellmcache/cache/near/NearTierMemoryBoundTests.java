package io.github.litellmcache.cache.near;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheEntries;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.NearCacheSettings;
import io.github.litellmcache.cache.local.LocalCacheBackend;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The near tier holds at most {@code litellm.cache.near.max-memory} (32MB by default) of estimated entry size. */
class NearTierMemoryBoundTests {

    private static final NearCacheSettings DEFAULT_BOUND =
            new NearCacheSettings(true, NearCacheSettings.DEFAULT_MAX_MEMORY, NearCacheSettings.DEFAULT_TTL);

    @Test
    void writingTwiceTheDefault32MBKeepsTheNearTierWithin32MB() {
        NearCacheBackend near =
                (NearCacheBackend) NearCacheBackend.bounded(new LocalCacheBackend(100_000), DEFAULT_BOUND);
        String content = "x".repeat(64 * 1024);
        for (int i = 0; i < 512; i++) {
            near.put(new CacheKey(null, "key-" + i), CacheEntries.answering(content + i), Duration.ofMinutes(5));
        }
        assertThat(near.nearTierBytes())
                .isLessThanOrEqualTo(NearCacheSettings.DEFAULT_MAX_MEMORY.toBytes())
                .isGreaterThan(NearCacheSettings.DEFAULT_MAX_MEMORY.toBytes() / 2);
        long held = java.util.stream.IntStream.range(0, 512)
                .filter(i -> near.nearEntry(new CacheKey(null, "key-" + i)) != null)
                .count();
        assertThat(held).isBetween(1L, 511L);
    }
}
