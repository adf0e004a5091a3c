package io.github.litellmcache.cache.near;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.NearCacheSettings;
import io.github.litellmcache.cache.local.LocalCacheBackend;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
            near.put(new CacheKey(null, "key-" + i), entry(content + i), Duration.ofMinutes(5));
        }
        assertThat(near.nearTierBytes())
                .isLessThanOrEqualTo(NearCacheSettings.DEFAULT_MAX_MEMORY.toBytes())
                .isGreaterThan(NearCacheSettings.DEFAULT_MAX_MEMORY.toBytes() / 2);
        long held = java.util.stream.IntStream.range(0, 512)
                .filter(i -> near.nearEntry(new CacheKey(null, "key-" + i)) != null)
                .count();
        assertThat(held).isBetween(1L, 511L);
    }

    private static CacheEntry entry(String content) {
        return new CacheEntry(
                new ChatCompletion(
                        "chatcmpl-near",
                        1_700_000_000L,
                        "gpt-4o-mini",
                        List.of(new ChatCompletion.Choice(0, ChatMessage.assistant(content), "stop")),
                        new Usage(5, 7, 12),
                        null),
                Instant.now());
    }
}
