package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A provider's error reaches the official OpenAI SDK as it would from the provider itself: with the
 * provider's {@code type}, {@code code} and {@code param}, which applications branch on
 * ({@code context_length_exceeded} to shorten a prompt, {@code insufficient_quota} apart from a
 * passing rate limit, Azure's {@code content_filter}); and, in a stream that fails after its first
 * chunk, when the answer's status has long been sent, as OpenAI's error event
 * ({@code data: {"error": {...}}}), which the SDK raises as an {@link SseException}, instead of a
 * connection cut off without a reason.
 */
@TestPropertySource(properties = "litellm.request-timeout=500ms")
class ProviderErrorsThroughTheSdkTests extends SampleApplicationOnProviderFake {

    @AutoClose
    private OpenAIClient client;

    @BeforeEach
    void connect() {
        this.client = SampleClients.openAi(this.port);
    }

    @AfterEach
    void recoverProvider() {
        provider.succeed();
        provider.chunkInterval(Duration.ZERO);
        provider.latency(Duration.ZERO);
    }

    @Test
    void contextLengthExceededKeepsItsCodeAndParam() {
        provider.fail(400, """
                {"error": {"message": "This model's maximum context length is 128000 tokens.",
                "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}}""");

        assertThatExceptionOfType(BadRequestException.class)
                .isThrownBy(() -> this.client.chat().completions().create(params("Long " + UUID.randomUUID())))
                .satisfies(error -> {
                    assertThat(error.code()).contains("context_length_exceeded");
                    assertThat(error.param()).contains("messages");
                    assertThat(error.type()).contains("invalid_request_error");
                });
    }

    @Test
    void aProviderErrorThatQuotesThePromptReachesTheSdkWithThePromptHidden() {
        String prompt = "Patient Jane Roe, born 1970-01-01, reports chest pain " + UUID.randomUUID();
        provider.fail(400, """
                {"error": {"message": "Invalid content: '%s' was flagged by the safety system.",
                "type": "invalid_request_error", "param": "messages", "code": "content_policy_violation"}}""".formatted(prompt.substring(0, 40)));

        assertThatExceptionOfType(BadRequestException.class)
                .isThrownBy(() -> this.client.chat().completions().create(params(prompt)))
                .satisfies(error -> {
                    assertThat(error.getMessage())
                            .contains("Invalid content: '(prompt text hidden)' was flagged")
                            .doesNotContain("Jane Roe");
                    assertThat(error.code()).contains("content_policy_violation");
                });
    }

    @Test
    void exhaustedQuotaIsToldFromARateLimitByItsTypeAndCode() {
        provider.fail(429, """
                {"error": {"message": "You exceeded your current quota.", "type": "insufficient_quota",
                "param": null, "code": "insufficient_quota"}}""");

        assertThatExceptionOfType(RateLimitException.class)
                .isThrownBy(() -> this.client.chat().completions().create(params("Quota " + UUID.randomUUID())))
                .satisfies(error -> {
                    assertThat(error.code()).contains("insufficient_quota");
                    assertThat(error.type()).contains("insufficient_quota");
                });
    }

    @Test
    void aRateLimitKeepsTheWaitTheProviderAskedFor() {
        provider.fail(
                429,
                "{\"error\": {\"message\": \"Rate limit reached.\", \"type\": \"requests\", \"code\": \"rate_limit_exceeded\"}}",
                Map.of("retry-after-ms", "1500"));

        assertThatExceptionOfType(RateLimitException.class)
                .isThrownBy(() -> this.client.chat().completions().create(params("Busy " + UUID.randomUUID())))
                .satisfies(error -> {
                    assertThat(error.headers().values("retry-after-ms")).containsExactly("1500");
                    assertThat(error.headers().values("retry-after")).containsExactly("2");
                });
    }

    @Test
    void streamRefusedByTheProviderKeepsItsCode() {
        provider.fail(400, """
                {"error": {"message": "The prompt was filtered.", "type": null, "param": "prompt",
                "code": "content_filter"}}""");

        assertThatExceptionOfType(BadRequestException.class)
                .isThrownBy(() -> streamInto(params("Filtered " + UUID.randomUUID()), new ArrayList<>()))
                .satisfies(error -> {
                    assertThat(error.code()).contains("content_filter");
                    assertThat(error.param()).contains("prompt");
                    assertThat(error.type()).contains("invalid_request_error");
                });
    }

    @Test
    void providerErrorWithoutDetailsIsAnApiErrorWithoutCode() {
        provider.fail(503, "upstream connect error");

        assertThatExceptionOfType(InternalServerException.class)
                .isThrownBy(() -> this.client.chat().completions().create(params("Down " + UUID.randomUUID())))
                .satisfies(error -> {
                    assertThat(error.type()).contains("api_error");
                    assertThat(error.code()).isEmpty();
                    assertThat(error.param()).isEmpty();
                });
    }

    @Test
    void providerErrorEventAfterTheFirstChunkReachesTheSdkAsAnErrorEventWithoutTheProvidersAddress() {
        provider.failNextStreamMidway("The server had an error at " + provider.apiBase());
        List<ChatCompletionChunk> received = new ArrayList<>();

        assertThatExceptionOfType(SseException.class)
                .isThrownBy(() -> streamInto(params("Fail midway " + UUID.randomUUID()), received))
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
    void aProviderThatDoesNotAnswerInTimeIsAGatewayTimeoutNamingTheSetting() {
        provider.latency(Duration.ofSeconds(2));

        assertThatExceptionOfType(InternalServerException.class)
                .isThrownBy(() -> this.client.chat().completions().create(params("Late " + UUID.randomUUID())))
                .satisfies(error -> {
                    assertThat(error.statusCode()).isEqualTo(504);
                    assertThat(error.getMessage())
                            .contains("did not answer within 500ms")
                            .contains("litellm.request-timeout");
                });
    }

    @Test
    void providerFallingSilentAfterTheFirstChunkReachesTheSdkAsAnErrorEvent() {
        provider.chunkInterval(Duration.ofSeconds(2));
        List<ChatCompletionChunk> received = new ArrayList<>();

        assertThatExceptionOfType(SseException.class)
                .isThrownBy(() -> streamInto(params("Fall silent " + UUID.randomUUID()), received))
                .withMessageContaining("did not answer within");
        assertThat(received).isNotEmpty();
    }

    @Test
    void providerAnsweringAStreamWithPlainJsonIsABadGatewayNamingWhatItSent() {
        provider.fail(200, """
                {"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "gpt-4o-mini",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "Not streamed"},
                "finish_reason": "stop"}]}""");

        assertThatExceptionOfType(InternalServerException.class)
                .isThrownBy(() -> streamInto(params("Not streamed " + UUID.randomUUID()), new ArrayList<>()))
                .satisfies(error -> {
                    assertThat(error.statusCode()).isEqualTo(502);
                    assertThat(error.type()).contains("api_error");
                    assertThat(error.getMessage()).contains("server-sent events");
                });
    }

    private static ChatCompletionCreateParams params(String prompt) {
        return ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addUserMessage(prompt)
                .build();
    }

    private void streamInto(ChatCompletionCreateParams params, List<ChatCompletionChunk> received) {
        try (StreamResponse<ChatCompletionChunk> stream =
                this.client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(received::add);
        }
    }
}
