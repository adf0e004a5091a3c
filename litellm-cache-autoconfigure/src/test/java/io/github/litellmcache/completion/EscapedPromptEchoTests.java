package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.testsupport.OpenAiFake;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A provider error body that is not OpenAI's (FastAPI, vLLM, a gateway) is shown whole; what it quotes of the
 * prompt is hidden even when the body JSON-escapes it, as Python's {@code json.dumps} does with every non-ASCII
 * character and every line break.
 */
class EscapedPromptEchoTests {

    private final OpenAiFake provider = new OpenAiFake();

    private final ProviderCompletionService service = new ProviderCompletionService(
            WebClient.create(),
            new ProviderRouter(
                    new ProviderEndpoint(this.provider.apiBase(), "sk-openai-secret", null),
                    new ProviderEndpoint(this.provider.root(), "azure-secret-key", "2024-10-21")),
            new MockProvider(Duration.ZERO, Clock.systemUTC()),
            false,
            WireFormat.jsonMapper(),
            Duration.ofMinutes(1));

    @AfterEach
    void stopProvider() throws Exception {
        this.provider.close();
    }

    @Test
    void aPromptQuotedJsonEscapedInAnErrorBodyIsHiddenFromTheException() {
        String prompt = "Пароль от сейфа: семь три девять";
        this.provider.fail(
                422, "{\"detail\":[{\"msg\":\"field required\",\"input\":\"" + asciiEscaped(prompt) + "\"}]}");
        ChatCompletionRequest request = ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .message(ChatMessage.user(prompt))
                .build();
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.completion(request))
                .satisfies(error -> assertThat(error.getMessage())
                        .contains("field required")
                        .doesNotContain(asciiEscaped("Пароль от сейфа")));
    }

    /** {@code text} as Python's {@code json.dumps} writes it: every non-ASCII character as {@code \\uXXXX}. */
    private static String asciiEscaped(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : text.toCharArray()) {
            escaped.append((c < 128) ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return escaped.toString();
    }
}
