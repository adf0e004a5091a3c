package io.github.litellmcache.cache.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.HeapHeavyResponses;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code max-stream-size} bounds the chunks a stream recording keeps by the heap they hold as well as by their JSON:
 * many small chunks hold several times their JSON.
 */
class StreamRecordingHeapBoundTests {

    private static final long BOUND = 64 * 1024;

    @Test
    void aStreamWhoseChunksHoldMoreHeapThanTheBoundIsNotStoredThoughTheirJsonIsWithinIt() {
        List<ChatCompletionChunk> chunks = stream(0.6);
        assertThat(chunks.stream().mapToLong(HeapHeavyResponses::jsonLength).sum())
                .isLessThan(BOUND);
        assertThat(HeapHeavyResponses.measuredHeap(chunks.toArray())).isGreaterThan(BOUND);
        AtomicBoolean unstorable = new AtomicBoolean();
        StreamRecording recording = new StreamRecording(BOUND, () -> unstorable.set(true));
        chunks.forEach(recording::add);
        assertThat(recording.isCut())
                .as("the completion put together is within the bound")
                .isFalse();
        assertThat(recording.storable()).isNull();
        assertThat(unstorable).isTrue();
    }

    @Test
    void aStreamWhoseChunksHoldLessHeapThanTheBoundIsStored() {
        List<ChatCompletionChunk> chunks = stream(0.1);
        assertThat(HeapHeavyResponses.measuredHeap(chunks.toArray())).isLessThan(BOUND);
        AtomicBoolean unstorable = new AtomicBoolean();
        StreamRecording recording = new StreamRecording(BOUND, () -> unstorable.set(true));
        chunks.forEach(recording::add);
        assertThat(recording.storable()).isEqualTo(chunks);
        assertThat(unstorable).isFalse();
    }

    /** A whole stream of one-token chunks read from JSON, whose JSON takes about {@code share} of the bound. */
    private static List<ChatCompletionChunk> stream(double share) {
        long json = HeapHeavyResponses.jsonLength(HeapHeavyResponses.chunk("chatcmpl-1", 0, 2, false));
        int tokens = (int) (share * BOUND / json);
        return IntStream.range(0, tokens)
                .mapToObj(i -> HeapHeavyResponses.chunk("chatcmpl-1", i, tokens, false))
                .toList();
    }
}
