package io.github.litellmcache.cache.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheEntryCodec;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.LocalLimits;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionChunks;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.HeapHeavyResponses;
import io.github.litellmcache.completion.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * {@code litellm.cache.local.max-memory}: the heap the local entries hold (every chunk of a stored stream, the
 * assembled response with its {@code logprobs}, every embedding vector), as estimated and as measured, stays under
 * the bound, alongside {@code maximum-size}.
 */
class LocalCacheMemoryBoundTests {

    private static final DataSize BOUND = DataSize.ofMegabytes(1);

    private static final int CHUNKS = 200;

    @Test
    void manyLongStoredStreamsKeepTheEstimatedTotalUnderMaxMemory() {
        LocalCacheBackend backend = new LocalCacheBackend(new LocalLimits(10_000, BOUND));
        List<CacheEntry> kept = putAndRead(backend, 200, LocalCacheMemoryBoundTests::longStream);
        long keptSize = kept.stream()
                .mapToLong(new EntryWeights(new LocalLimits(10_000, BOUND))::estimatedSize)
                .sum();
        assertThat(kept).as("entries kept").isNotEmpty().hasSizeLessThan(200);
        assertThat(keptSize).as("estimated size of the entries kept").isLessThanOrEqualTo(BOUND.toBytes());
        assertThat(json(kept)).as("JSON of the entries kept").isLessThan(keptSize);
        assertThat(backend.estimatedMemory()).isEqualTo(keptSize);
    }

    @Test
    void completionsWithLogprobsAreBoundedByTheHeapTheyHoldNotByTheirMuchShorterJson() {
        LocalCacheBackend backend = new LocalCacheBackend(new LocalLimits(10_000, BOUND));
        List<CacheEntry> kept = putAndRead(
                backend, 100, i -> new CacheEntry(HeapHeavyResponses.completion("chatcmpl-" + i, 200), Instant.now()));
        long measured = HeapHeavyResponses.measuredHeap(kept.toArray());
        assertThat(kept).as("entries kept").isNotEmpty().hasSizeLessThan(100);
        assertThat(measured).as("heap the kept entries hold").isLessThanOrEqualTo(BOUND.toBytes());
        assertThat(backend.estimatedMemory()).isBetween(measured, BOUND.toBytes());
        assertThat(backend.estimatedMemory()).as("against their JSON").isGreaterThan(4 * json(kept));
    }

    @Test
    void aSmallEntryStillFitsOnceTheBoundIsReached() {
        LocalCacheBackend backend = new LocalCacheBackend(new LocalLimits(10_000, BOUND));
        for (int i = 0; i < 200; i++) {
            backend.put(new CacheKey(null, "stream-" + i), longStream(i), null);
        }
        CacheKey small = new CacheKey(null, "small");
        backend.put(small, new CacheEntry(completion("short answer"), Instant.now()), null);
        assertThat(backend.get(small)).isNotNull();
        assertThat(backend.estimatedMemory()).isLessThanOrEqualTo(BOUND.toBytes());
    }

    @Test
    void aStoredStreamIsEstimatedWithEveryChunkAndTheAssembledResponse() {
        CacheEntry stream = longStream(0);
        LocalCacheBackend withChunks = new LocalCacheBackend(LocalLimits.DEFAULTS);
        withChunks.put(new CacheKey(null, "k"), stream, null);
        LocalCacheBackend assembledOnly = new LocalCacheBackend(LocalLimits.DEFAULTS);
        assembledOnly.put(new CacheKey(null, "k"), new CacheEntry(stream.response(), stream.storedAt()), null);
        long chunkText = stream.chunks().stream()
                .mapToLong(chunk -> (chunk.content() != null) ? chunk.content().length() : 0)
                .sum();
        assertThat(assembledOnly.estimatedMemory()).isGreaterThan(chunkText);
        assertThat(withChunks.estimatedMemory()).isGreaterThan(assembledOnly.estimatedMemory() + chunkText);
    }

    @Test
    void anEmbeddingIsEstimatedWithItsWholeVector() {
        float[] vector = new float[1_536];
        EmbeddingResponse response = new EmbeddingResponse(
                List.of(new EmbeddingResponse.Embedding(0, vector)), "text-embedding-3-small", new Usage(3, 0, 3));
        LocalCacheBackend backend = new LocalCacheBackend(LocalLimits.DEFAULTS);
        backend.put(new CacheKey(null, "k"), new CacheEntry(response, Instant.now()), null);
        assertThat(backend.estimatedMemory()).isGreaterThanOrEqualTo(vector.length * (long) Float.BYTES);
    }

    @Test
    void bothBoundsApplySmallEntriesAreBoundedByMaximumSize() {
        LocalCacheBackend backend = new LocalCacheBackend(new LocalLimits(10, BOUND));
        for (int i = 0; i < 100; i++) {
            backend.put(new CacheKey(null, "small-" + i), new CacheEntry(completion("v" + i), Instant.now()), null);
        }
        assertThat(backend.size()).isLessThanOrEqualTo(10).isPositive();
    }

    @Test
    void anEntryLargerThanMaxMemoryIsNotKept() {
        LocalCacheBackend backend = new LocalCacheBackend(new LocalLimits(10_000, DataSize.ofKilobytes(4)));
        CacheKey key = new CacheKey(null, "huge");
        backend.put(key, longStream(0), null);
        assertThat(backend.get(key)).isNull();
        assertThat(backend.estimatedMemory()).isZero();
    }

    /** Puts {@code count} entries made by {@code entry}, then reads them: those kept. */
    private static List<CacheEntry> putAndRead(LocalCacheBackend backend, int count, IntFunction<CacheEntry> entry) {
        List<CacheKey> keys = IntStream.range(0, count)
                .mapToObj(i -> new CacheKey(null, "entry-" + i))
                .toList();
        for (int i = 0; i < count; i++) {
            backend.put(keys.get(i), entry.apply(i), null);
        }
        return keys.stream().map(backend::get).filter(Objects::nonNull).toList();
    }

    private static long json(List<CacheEntry> entries) {
        return entries.stream()
                .mapToLong(entry -> new CacheEntryCodec().encode(entry).length)
                .sum();
    }

    /** A streamed completion of {@value #CHUNKS} chunks of 50 characters, stored with its chunks. */
    private static CacheEntry longStream(int n) {
        String id = "chatcmpl-" + n;
        List<ChatCompletionChunk> chunks = IntStream.range(0, CHUNKS)
                .mapToObj(i -> new ChatCompletionChunk(
                        id,
                        1_700_000_000L,
                        "gpt-4o-mini",
                        List.of(new ChatCompletionChunk.Choice(
                                0,
                                new ChatCompletionChunk.Delta((i == 0) ? "assistant" : null, "x".repeat(50)),
                                (i == CHUNKS - 1) ? "stop" : null)),
                        null,
                        false))
                .toList();
        return new CacheEntry(ChatCompletionChunks.assemble(chunks), Instant.now(), chunks);
    }

    private static ChatCompletion completion(String content) {
        return new ChatCompletion(
                "chatcmpl-small",
                1_700_000_000L,
                "gpt-4o-mini",
                List.of(new ChatCompletion.Choice(0, ChatMessage.assistant(content), "stop")),
                new Usage(1, 1, 2),
                null);
    }
}
