package io.github.litellmcache.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.LlmException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A {@link CallEvent} as a callback that logs it shows it: what happened to the call, never its cache
 * key (derived from the prompt, or the prompt itself with a custom key generator), the text of the
 * answer or the message of its error.
 */
class CallEventShownWithoutKeyOrTextTests {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static ChatCompletionRequest request() {
        return ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .message(ChatMessage.user("What is the capital of France?"))
                .apiKey("sk-secret-key")
                .build();
    }

    @Test
    void aHitIsShownWithItsOutcomeButNotItsKeyOrAnswer() {
        ChatCompletion.Choice choice = new ChatCompletion.Choice(
                0,
                ChatMessage.assistant("Paris is the capital"),
                "stop",
                Map.of("logprobs", Map.of("content", List.of(Map.of("token", "Paris-token")))));
        ChatCompletion response = new ChatCompletion("id-1", 1L, "gpt-4o-mini", List.of(choice), null, null)
                .withCacheResult(true, false, "tenant:capital of France");
        CallEvent event = new CallEvent(
                CallType.COMPLETION,
                "gpt-4o-mini",
                request(),
                response,
                START,
                START.plusMillis(3),
                true,
                "tenant:capital of France",
                null,
                false);

        assertThat(event.toString())
                .contains("completion", "gpt-4o-mini", "cacheHit=true")
                .doesNotContain("capital", "Paris", "sk-secret-key");
    }

    /** A model name is the caller's choice (an HTTP client's, in an OpenAI-compatible server). */
    @Test
    void aModelNameCannotForgeALogLineWhereTheEventOrItsRequestIsLogged() {
        String forging = "gpt\nINFO a\rINFO b\u0085INFO c\u2028INFO d\u2029INFO e";
        ChatCompletionRequest request = ChatCompletionRequest.builder()
                .model(forging)
                .message(ChatMessage.user("Hi"))
                .param("x\u2028INFO f", 1)
                .build();
        CallEvent event =
                new CallEvent(CallType.COMPLETION, forging, request, null, START, START, false, null, null, false);

        assertThat(List.of(event.toString(), request.toString()))
                .allSatisfy(shown -> assertThat(shown)
                        .contains("gpt_INFO a_INFO b_INFO c_INFO d_INFO e")
                        .doesNotContain("\n", "\r", "\u0085", "\u2028", "\u2029"));
    }

    @Test
    void aFailureIsShownWithTheKindOfItsErrorButNotItsMessage() {
        CallEvent event = new CallEvent(
                CallType.ACOMPLETION,
                "gpt-4o-mini",
                request(),
                null,
                START,
                START.plusMillis(3),
                false,
                "capital of France",
                new LlmException(400, "the provider quoted: capital of France"),
                false);

        assertThat(event.toString()).contains("LlmException").doesNotContain("capital", "sk-secret-key");
    }
}
