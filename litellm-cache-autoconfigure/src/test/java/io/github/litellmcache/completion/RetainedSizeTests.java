package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What requests and responses are estimated to hold: their text at two bytes a character, their vectors at four a value. */
class RetainedSizeTests {

    private static final int MILLION = 1_000_000;

    private static final long NO_LIMIT = Long.MAX_VALUE;

    @Test
    void aChatCompletionHoldsTheTextOfItsChoices() {
        ChatCompletion completion = new ChatCompletion(
                "id",
                0,
                "gpt-4o-mini",
                List.of(new ChatCompletion.Choice(0, ChatMessage.assistant("x".repeat(MILLION)), "stop")),
                null,
                null);

        assertThat(RetainedSize.of(completion, NO_LIMIT)).isBetween(2L * MILLION, 2L * MILLION + 1024);
    }

    @Test
    void anEmbeddingResponseHoldsItsVectors() {
        EmbeddingResponse response = new EmbeddingResponse(
                List.of(
                        new EmbeddingResponse.Embedding(0, new float[MILLION]),
                        new EmbeddingResponse.Embedding(1, new float[MILLION])),
                "text-embedding-3-small",
                null);

        assertThat(RetainedSize.of(response, NO_LIMIT)).isBetween(8L * MILLION, 8L * MILLION + 1024);
    }

    @Test
    void aRequestHoldsItsInput() {
        EmbeddingRequest request = EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input(List.of("x".repeat(MILLION), "y".repeat(MILLION)))
                .build();

        assertThat(RetainedSize.of(request, NO_LIMIT)).isBetween(4L * MILLION, 4L * MILLION + 1024);
    }

    @Test
    void measuringStopsSoonAfterTheLimit() {
        List<String> input = List.of("x".repeat(MILLION), "y".repeat(MILLION), "z".repeat(MILLION));

        assertThat(RetainedSize.of(input, MILLION)).isBetween(2L * MILLION, 2L * MILLION + 1024);
    }

    @Test
    void aCompletionWithLogprobsIsEstimatedAtLeastAtItsMeasuredHeapWhichIsManyTimesItsJson() {
        ChatCompletion completion = HeapHeavyResponses.completion("chatcmpl-1", 500);
        long measured = HeapHeavyResponses.measuredHeap(completion);

        assertThat(measured).isGreaterThan(4 * HeapHeavyResponses.jsonLength(completion));
        assertThat(RetainedSize.of(completion, NO_LIMIT)).isBetween(measured, 2 * measured);
    }

    @Test
    void aChunkWithLogprobsIsEstimatedAtLeastAtItsMeasuredHeap() {
        ChatCompletionChunk chunk = HeapHeavyResponses.chunk("chatcmpl-1", 0, 2, true);
        long measured = HeapHeavyResponses.measuredHeap(chunk);

        assertThat(measured).isGreaterThan(4 * HeapHeavyResponses.jsonLength(chunk));
        assertThat(RetainedSize.of(chunk, NO_LIMIT)).isBetween(measured, 2 * measured);
    }

    @Test
    void aStreamOfChunksWithTheirUsageIsEstimatedAtLeastAtItsMeasuredHeap() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            chunks.add(HeapHeavyResponses.chunk("chatcmpl-1", i, 200, i % 2 == 0));
        }
        chunks.add(new ChatCompletionChunk(
                "chatcmpl-1",
                1_700_000_000L,
                "gpt-4o-mini",
                List.of(),
                new Usage(5, 200, 205, Map.of("prompt_tokens_details", Map.of("cached_tokens", 0))),
                false));
        List<ChatCompletionChunk> stored = List.copyOf(chunks);
        long measured = HeapHeavyResponses.measuredHeap(stored);

        assertThat(RetainedSize.of(stored, NO_LIMIT)).isBetween(measured, 2 * measured);
    }

    @Test
    void anEmbeddingResponseReadFromJsonIsEstimatedAtLeastAtItsMeasuredHeap() {
        String vector = String.join(",", Collections.nCopies(1536, "-0.0123456"));
        EmbeddingResponse response = WireFormat.jsonMapper().readValue("""
                        {"object":"list","data":[{"object":"embedding","index":0,"embedding":[%s]}],
                         "model":"text-embedding-3-small","usage":{"prompt_tokens":3,"total_tokens":3}}""".formatted(vector), EmbeddingResponse.class);
        long measured = HeapHeavyResponses.measuredHeap(response);

        assertThat(RetainedSize.of(response, NO_LIMIT)).isBetween(measured, measured + 1024);
    }
}
