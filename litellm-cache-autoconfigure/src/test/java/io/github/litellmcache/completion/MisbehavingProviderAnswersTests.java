package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * What a provider, or a proxy in its place, answers that is no OpenAI answer ends the call with an
 * {@link LlmException} that names what was wrong, on the blocking, reactive and streamed paths: an error body sent
 * with a success status, to a stream too (its message and fields kept), a choice without a message, an empty body, a redirect, an
 * HTML page, a connection closed in the middle of the answer.
 */
class MisbehavingProviderAnswersTests extends ProviderOnMockWebServerTests {

    private static final String COMPLETION = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            + "\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}";

    private static final String STREAM =
            "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}"
                    + "\n\n";

    @Test
    void anErrorBodySentWithASuccessStatusIsTheProvidersErrorWithItsFields() {
        String error = "{\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\","
                + "\"code\":\"overloaded\",\"param\":null}}";
        for (ThrowingCallable call : List.<ThrowingCallable>of(
                () -> this.service.completion(question()),
                () -> this.service.acompletion(question()).block(),
                () -> this.service.streamCompletion(question()).blockLast(),
                () -> this.service.embedding(EmbeddingRequest.builder()
                        .model("text-embedding-3-small")
                        .input(List.of("a", "b"))
                        .build()))) {
            answers(200, "application/json", error);
            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(call)
                    .withMessage("openai answered with an error: The server is overloaded")
                    .satisfies(thrown -> {
                        assertThat(thrown.statusCode()).isZero();
                        assertThat(thrown.providerError().type()).isEqualTo("server_error");
                        assertThat(thrown.providerError().code()).isEqualTo("overloaded");
                    });
        }
    }

    @Test
    void aChoiceWithoutAMessageIsAnLlmExceptionSayingSo() {
        answers(200, "application/json", COMPLETION.replaceAll("\"message\":\\{[^}]*},", ""));

        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.completion(question()))
                .withMessageContaining("a choice without a message");
    }

    @Test
    void anEmptyBodyIsAnLlmExceptionSayingSo() {
        answers(200, "application/json", "");
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.completion(question()))
                .withMessageContaining("answered with an empty body");

        this.provider.enqueue(new MockResponse.Builder().code(204).build());
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.acompletion(question()).block())
                .withMessageContaining("answered with an empty body");
    }

    @Test
    void aRedirectIsAnLlmExceptionNamingApiBase() {
        for (ThrowingCallable call : List.<ThrowingCallable>of(
                () -> this.service.completion(question()),
                () -> this.service.streamCompletion(question()).blockLast())) {
            this.provider.enqueue(new MockResponse.Builder()
                    .code(302)
                    .setHeader("Location", this.provider.url("/elsewhere").toString())
                    .build());
            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(call)
                    .withMessageContaining("redirect (HTTP 302)")
                    .withMessageContaining("api-base")
                    .satisfies(thrown -> assertThat(thrown.statusCode()).isZero());
        }
    }

    @Test
    void anHtmlPageIsAnLlmExceptionNamingAProxy() {
        for (ThrowingCallable call : List.<ThrowingCallable>of(
                () -> this.service.completion(question()),
                () -> this.service.streamCompletion(question()).blockLast())) {
            answers(200, "text/html; charset=utf-8", "<html><body>Sign in to the Wi-Fi</body></html>");
            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(call)
                    .withMessageContaining("an HTML page")
                    .withMessageContaining("proxy");
        }
    }

    @Test
    void aConnectionClosedInTheMiddleOfTheAnswerIsAnLlmException() {
        ThrowingCallable stream =
                () -> this.service.streamCompletion(question()).blockLast();
        closedMidway("text/event-stream", STREAM + STREAM + STREAM, stream);
        closedMidway("application/json", COMPLETION, stream);
        closedMidway("application/json", COMPLETION, () -> this.service.completion(question()));
    }

    private void closedMidway(String contentType, String body, ThrowingCallable call) {
        this.provider.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", contentType)
                .body(body)
                .onResponseBody(new SocketEffect.CloseSocket())
                .build());
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(call)
                .withMessageStartingWith("the connection to openai closed before its answer was complete")
                .satisfies(thrown -> assertThat(thrown.statusCode()).isZero());
    }

    @Test
    void jsonBeyondTheReadersLimitsIsAnLlmExceptionSayingSo() {
        answers(200, "application/json", COMPLETION.replace("\"created\":1", "\"created\":1" + "0".repeat(1500)));
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.completion(question()))
                .withMessageContaining("JSON beyond the reader's limits");

        String deep = "{\"a\":".repeat(600) + "1" + "}".repeat(600);
        answers(200, "text/event-stream", STREAM.replace("\"created\"", "\"x\":" + deep + ",\"created\""));
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.streamCompletion(question()).blockLast())
                .withMessageContaining("JSON beyond the reader's limits");
    }

    @Test
    void anAnswerWithoutAContentTypeIsReadAsJson() {
        this.provider.enqueue(
                new MockResponse.Builder().code(200).body(COMPLETION).build());

        assertThat(this.service.completion(question()).content()).isEqualTo("Hi");
    }

    private void answers(int status, String contentType, String body) {
        this.provider.enqueue(new MockResponse.Builder()
                .code(status)
                .setHeader("Content-Type", contentType)
                .body(body)
                .build());
    }

    private static ChatCompletionRequest question() {
        return ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .message(ChatMessage.user("Hello"))
                .build();
    }
}
