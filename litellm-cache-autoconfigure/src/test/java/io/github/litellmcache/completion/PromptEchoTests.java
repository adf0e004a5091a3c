package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a provider's error message quotes of the prompt is hidden, and nothing else. */
class PromptEchoTests {

    private static String hidden(String message, LlmRequest request) {
        return PromptEcho.hidden(message, 500, request);
    }

    /** {@code message} with what it quotes of a chat whose one message is the user's {@code prompt} hidden. */
    private static String hiddenFromUser(String prompt, String message) {
        return hidden(message, chat(ChatMessage.user(prompt)));
    }

    private static ChatCompletionRequest chat(ChatMessage... messages) {
        return ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .messages(List.of(messages))
                .build();
    }

    @Test
    void aQuotedRunOfThePromptIsHiddenAndTheRestOfTheMessageKept() {
        assertThat(hiddenFromUser(
                        "Please translate the contract for Acme Corp into French.",
                        "Flagged input: \"the contract for Acme Corp\" (policy 7)"))
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

        assertThat(hidden("Rejected: [a careful assistant] and [Summarise the merger agreement] are too long", request))
                .isEqualTo("Rejected: [(prompt text hidden)] and [(prompt text hidden)] are too long");
    }

    @Test
    void aWholeShortPromptIsHiddenButNotOneUnderEightCharacters() {
        assertThat(hiddenFromUser("kill -9 1", "unsafe: 'kill -9 1'")).isEqualTo("unsafe: '(prompt text hidden)'");
        assertThat(hiddenFromUser("hi", "model gpt-4o-mini says hi")).isEqualTo("model gpt-4o-mini says hi");
    }

    @Test
    void textsToEmbedAreThePromptOfAnEmbeddingRequest() {
        EmbeddingRequest request = EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input(List.of("the quarterly revenue figures", "x"))
                .build();

        assertThat(hidden("input 'the quarterly revenue figures' is too long", request))
                .isEqualTo("input '(prompt text hidden)' is too long");
    }

    @Test
    void aMessageThatQuotesNothingIsUnchanged() {
        String message = "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.";

        assertThat(hiddenFromUser("Write a very long story about dragons.", message))
                .isEqualTo(message);
    }

    @Test
    void aQuoteNearTheEndOfAVeryLongPromptIsFound() {
        String prompt = "lorem ipsum ".repeat(100_000) + "the secret launch code is 0000";

        assertThat(hiddenFromUser(prompt, "bad: 'secret launch code is 0000'"))
                .isEqualTo("bad: '(prompt text hidden)'");
    }

    @Test
    void aQuoteAtTheVeryEndOfTheMessageAndAMessageShorterThanARunAreHandled() {
        ChatCompletionRequest request = chat(ChatMessage.user("Describe the annual report of 2025 in detail."));

        assertThat(hidden("bad: the annual report of 2025", request)).isEqualTo("bad:(prompt text hidden)");
        assertThat(hidden("too short", request)).isEqualTo("too short");
        assertThat(hidden("", request)).isEmpty();
    }

    @Test
    void aRepetitivePromptQuotedByARepetitiveMessageIsHiddenWhole() {
        String prompt = "a".repeat(4_000_000);

        assertThat(hiddenFromUser(prompt, "Invalid: " + "a".repeat(491))).isEqualTo("Invalid: (prompt text hidden)");
    }

    @Test
    void aSurrogatePairIsNeverSplitByTheHiddenText() {
        assertThat(hiddenFromUser(
                        "I feel great about the quarterly results today \uD83D\uDE00",
                        "flagged: about the quarterly results today \uD83D\uDE01!"))
                .isEqualTo("flagged:(prompt text hidden)!");
    }

    @Test
    void onlyTheFirstCharactersUpToTheLimitAreShownAndAQuoteAcrossTheLimitIsHidden() {
        ChatCompletionRequest request = chat(ChatMessage.user("the confidential merger of Acme and Globex"));

        assertThat(PromptEcho.hidden("x".repeat(10) + "the confidential merger of Acme", 20, request))
                .isEqualTo("x".repeat(10) + "(prompt text hidden)");
    }
}
