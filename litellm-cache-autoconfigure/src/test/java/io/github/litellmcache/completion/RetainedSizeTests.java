package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
}
