package io.github.litellmcache.cache.near;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheEntries;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.NearCacheSettings;
import io.github.litellmcache.cache.local.LocalCacheBackend;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.HeapHeavyResponses;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The near tier holds at most {@code litellm.cache.near.max-memory} (32MB by default) of entries, by the heap they hold
 * as estimated and as measured.
 */
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
        long held = IntStream.range(0, 512)
                .filter(i -> near.nearEntry(new CacheKey(null, "key-" + i)) != null)
                .count();
        assertThat(held).isBetween(1L, 511L);
    }

    @Test
    void completionsWithLogprobsKeepTheHeapOfTheNearTierWithinItsBoundNotJustTheirJson() {
        DataSize bound = DataSize.ofMegabytes(1);
        NearCacheBackend near = (NearCacheBackend) NearCacheBackend.bounded(
                new LocalCacheBackend(100_000), new NearCacheSettings(true, bound, NearCacheSettings.DEFAULT_TTL));
        List<CacheKey> keys = IntStream.range(0, 100)
                .mapToObj(i -> new CacheKey(null, "logprobs-" + i))
                .toList();
        for (int i = 0; i < keys.size(); i++) {
            ChatCompletion completion = HeapHeavyResponses.completion("chatcmpl-" + i, 200);
            near.put(keys.get(i), new CacheEntry(completion, Instant.now()), Duration.ofMinutes(5));
        }
        List<CacheEntry> held =
                keys.stream().map(near::nearEntry).filter(Objects::nonNull).toList();
        assertThat(held).isNotEmpty().hasSizeLessThan(100);
        long measured = HeapHeavyResponses.measuredHeap(held.toArray());
        assertThat(measured).as("heap the near copies hold").isLessThanOrEqualTo(bound.toBytes());
        assertThat(near.nearTierBytes()).isBetween(measured, bound.toBytes());
    }
}
