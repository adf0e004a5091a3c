package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/**
 * A provider stream is passed on as complete only when it ends as one: with {@code [DONE]} after a
 * chunk, or, from servers that omit {@code [DONE]}, once every choice it sent has its finish reason;
 * an error event in it, however the server marks it, ends it with the provider's error, and an event with neither
 * {@code choices} nor {@code usage}, or that is not JSON (cut in its middle), ends it with an error that says so; a chunk without an {@code id} is passed on.
 */
class ProviderStreamEndingTests extends ProviderOnMockWebServerTests {

    @Test
    void aStreamWithoutDoneWhoseChoicesAllFinishedIsComplete() {
        streams(chunk(0, "\"stop\"") + chunk(1, "\"length\""));

        assertThat(this.service.streamCompletion(question()).collectList().block())
                .hasSize(2);
    }

    @Test
    void aStreamWithoutDoneWithAChoiceThatNeverFinishedIsCutOff() {
        streams(chunk(0, "\"stop\"") + chunk(1, "null"));

        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.streamCompletion(question()).blockLast())
                .withMessageContaining("cut off")
                .satisfies(error -> assertThat(error.statusCode()).isZero());
    }

    @Test
    void aStreamWithoutDoneThatSentNoChoiceIsCutOff() {
        streams("data: {\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[],"
                + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}\n\n");

        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.streamCompletion(question()).blockLast())
                .withMessageContaining("cut off");
    }

    @Test
    void aStreamWithDoneIsCompleteWhateverItsFinishReasons() {
        streams(chunk(0, "null") + "data: [DONE]\n\n");

        assertThat(this.service.streamCompletion(question()).collectList().block())
                .hasSize(1);
    }

    @Test
    void aStreamOfDoneAloneEndedBeforeItsFirstChunk() {
        streams("data: [DONE]\n\n");

        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.streamCompletion(question()).blockLast())
                .withMessage("openai ended its stream before its first chunk");
    }

    @Test
    void anEventNamedErrorEndsTheStreamWithTheProvidersError() {
        streams(chunk(0, "null") + "event: error\ndata: {\"message\":\"overloaded\"}\n\n" + "data: [DONE]\n\n");

        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.streamCompletion(question()).blockLast())
                .withMessageContaining("ended the stream with an error")
                .withMessageContaining("overloaded");
    }

    @Test
    void anEventNamedErrorWhoseDataIsNotJsonEndsTheStreamWithItsText() {
        streams(chunk(0, "null") + "event: error\ndata: upstream connect error\n\n");

        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.streamCompletion(question()).blockLast())
                .withMessage("openai ended the stream with an error: upstream connect error");
    }

    @Test
    void anErrorObjectInTheStreamEndsItWithTheProvidersError() {
        streams(chunk(0, "null")
                + "data: {\"object\":\"error\",\"message\":\"out of memory\",\"type\":\"InternalServerError\","
                + "\"code\":500}\n\n"
                + "data: [DONE]\n\n");

        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.streamCompletion(question()).blockLast())
                .withMessageContaining("ended the stream with an error")
                .withMessageContaining("out of memory");
    }

    @Test
    void aChunkWhoseErrorFieldIsNullIsAChunk() {
        streams(chunk(0, "\"stop\"").replace("\"choices\"", "\"error\":null,\"choices\"") + "data: [DONE]\n\n");

        assertThat(this.service.streamCompletion(question()).collectList().block())
                .singleElement()
                .satisfies(chunk -> assertThat(chunk.content()).isEqualTo("Hi"));
    }

    @Test
    void anEventWithNeitherChoicesNorUsageIsNoChunkAndFailsTheStream() {
        streams(chunk(0, "null") + "data: {}\n\n" + chunk(0, "\"stop\"") + "data: [DONE]\n\n");

        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.streamCompletion(question()).blockLast())
                .withMessageStartingWith("openai sent a stream event with neither choices nor usage")
                .satisfies(error -> assertThat(error.statusCode()).isZero());
    }

    @Test
    void aStreamEventThatIsNotJsonFailsTheStreamSayingSo() {
        for (String notJson : List.of("data: hello\n\n", chunk(0, "\"stop\"").substring(0, 60))) {
            streams(chunk(0, "null") + notJson);

            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> this.service.streamCompletion(question()).blockLast())
                    .withMessageStartingWith("openai sent a stream event that is not JSON")
                    .satisfies(error -> assertThat(error.statusCode()).isZero());
        }
    }

    @Test
    void chunksWithoutAnIdArePassedOnAsReceived() {
        String withoutId = "data: {\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"ovms\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}\n\n";
        streams(withoutId + "data: [DONE]\n\n");

        List<ChatCompletionChunk> chunks =
                this.service.streamCompletion(question()).collectList().block();

        assertThat(chunks).singleElement().satisfies(chunk -> {
            assertThat(chunk.id()).isNull();
            assertThat(chunk.content()).isEqualTo("Hi");
            assertThat(chunk.choices().get(0).finishReason()).isEqualTo("stop");
        });
    }

    @Test
    void commentsCrLfLineEndsAndDataWithoutASpaceAreReadAsServerSentEvents() {
        streams((": keep-alive\n\n" + chunk(0, "null") + ": ping\n\n" + chunk(0, "\"stop\"") + "data: [DONE]\n\n")
                .replace("data: ", "data:")
                .replace("\n", "\r\n"));

        assertThat(this.service.streamCompletion(question()).collectList().block())
                .hasSize(2)
                .allSatisfy(chunk -> assertThat(chunk.content()).isEqualTo("Hi"));
    }

    private void streams(String events) {
        this.provider.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "text/event-stream")
                .body(events)
                .build());
    }

    private static String chunk(int index, String finishReason) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":" + index + ",\"delta\":{\"content\":\"Hi\"},\"finish_reason\":"
                + finishReason + "}]}\n\n";
    }

    private static ChatCompletionRequest question() {
        return ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .message(ChatMessage.user("Hello"))
                .build();
    }
}
