package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A stream that fails after its first chunk, when the answer's status has long been sent: the client
 * still gets OpenAI's error event ({@code data: {"error": {...}}}), which the official SDK raises as an
 * {@link SseException}, instead of a connection cut off without a reason.
 */
@TestPropertySource(properties = "litellm.request-timeout=500ms")
class StreamFailingMidwayTests extends SampleApplicationOnProviderFake {

    @AutoClose
    private OpenAIClient client;

    @BeforeEach
    void connect() {
        this.client = SampleClients.openAi(this.port);
    }

    @AfterEach
    void steadyProvider() {
        provider.chunkInterval(Duration.ZERO);
    }

    @Test
    void providerErrorEventAfterTheFirstChunkReachesTheSdkAsAnErrorEventWithoutTheProvidersAddress() {
        provider.failNextStreamMidway("The server had an error at " + provider.apiBase());
        List<ChatCompletionChunk> received = new ArrayList<>();

        assertThatExceptionOfType(SseException.class)
                .isThrownBy(() -> stream(params("Fail midway " + UUID.randomUUID()), received))
                .satisfies(error -> {
                    assertThat(error.type()).contains("api_error");
                    assertThat(error.getMessage())
                            .contains("The server had an error")
                            .doesNotContain(provider.apiBase())
                            .doesNotContain("127.0.0.1");
                });
        assertThat(received).isNotEmpty();
    }

    @Test
    void providerFallingSilentAfterTheFirstChunkReachesTheSdkAsAnErrorEvent() {
        provider.chunkInterval(Duration.ofSeconds(2));
        List<ChatCompletionChunk> received = new ArrayList<>();

        assertThatExceptionOfType(SseException.class)
                .isThrownBy(() -> stream(params("Fall silent " + UUID.randomUUID()), received))
                .withMessageContaining("did not answer within");
        assertThat(received).isNotEmpty();
    }

    private static ChatCompletionCreateParams params(String prompt) {
        return ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addUserMessage(prompt)
                .build();
    }

    private void stream(ChatCompletionCreateParams params, List<ChatCompletionChunk> received) {
        try (StreamResponse<ChatCompletionChunk> stream =
                this.client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(received::add);
        }
    }
}
