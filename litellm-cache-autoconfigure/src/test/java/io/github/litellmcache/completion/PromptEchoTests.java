package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a provider's error message quotes of the prompt is hidden, and nothing else. */
class PromptEchoTests {

    private static ChatCompletionRequest chat(ChatMessage... messages) {
        return ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .messages(List.of(messages))
                .build();
    }

    @Test
    void aQuotedRunOfThePromptIsHiddenAndTheRestOfTheMessageKept() {
        ChatCompletionRequest request =
                chat(ChatMessage.user("Please translate the contract for Acme Corp into French."));

        assertThat(PromptEcho.hidden("Flagged input: \"the contract for Acme Corp\" (policy 7)", request))
                .isEqualTo("Flagged input: \"(prompt text hidden)\" (policy 7)");
    }

    @Test
    void runsFromSeveralMessagesAndPartsAreHiddenEachOnce() {
        ChatCompletionRequest request = chat(
                ChatMessage.system("You are a careful assistant for lawyers."),
                ChatMessage.multiPart(
                        "user",
                        List.of(
                                Map.of("type", "text", "text", "Summarise the merger agreement below."),
                                Map.of("type", "image_url", "image_url", Map.of("url", "https://example.com/a.png")))));

        assertThat(PromptEcho.hidden(
                        "Rejected: [a careful assistant] and [Summarise the merger agreement] are too long", request))
                .isEqualTo("Rejected: [(prompt text hidden)] and [(prompt text hidden)] are too long");
    }

    @Test
    void aWholeShortPromptIsHiddenButNotOneUnderEightCharacters() {
        assertThat(PromptEcho.hidden("unsafe: 'kill -9 1'", chat(ChatMessage.user("kill -9 1"))))
                .isEqualTo("unsafe: '(prompt text hidden)'");
        assertThat(PromptEcho.hidden("model gpt-4o-mini says hi", chat(ChatMessage.user("hi"))))
                .isEqualTo("model gpt-4o-mini says hi");
    }

    @Test
    void textsToEmbedAreThePromptOfAnEmbeddingRequest() {
        EmbeddingRequest request = EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input(List.of("the quarterly revenue figures", "x"))
                .build();

        assertThat(PromptEcho.hidden("input 'the quarterly revenue figures' is too long", request))
                .isEqualTo("input '(prompt text hidden)' is too long");
    }

    @Test
    void aMessageThatQuotesNothingIsUnchanged() {
        String message = "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.";

        assertThat(PromptEcho.hidden(message, chat(ChatMessage.user("Write a very long story about dragons."))))
                .isEqualTo(message);
    }

    @Test
    void aQuoteNearTheEndOfAVeryLongPromptIsFound() {
        String prompt = "lorem ipsum ".repeat(100_000) + "the secret launch code is 0000";

        assertThat(PromptEcho.hidden("bad: 'secret launch code is 0000'", chat(ChatMessage.user(prompt))))
                .isEqualTo("bad: '(prompt text hidden)'");
    }
}
