package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two clients with their own API keys, driven by OpenAI's Java SDK, asking the same question at the same
 * time: the second never waits for the first's call in flight nor gets its answer, whether streamed or
 * not; each key's repeat is then answered from its own entry.
 */
class CallsOfOtherApiKeysInFlightTests extends SampleApplicationOnProviderFake {

    @AutoClose
    private OpenAIClient alice;

    @AutoClose
    private OpenAIClient mallory;

    @BeforeEach
    void connect() {
        this.alice = SampleClients.openAi(this.port, "sk-alice");
        this.mallory = SampleClients.openAi(this.port, "sk-mallory");
        provider.latency(Duration.ofSeconds(1));
    }

    @AfterEach
    void answerPromptly() {
        provider.latency(Duration.ZERO);
    }

    private static ChatCompletionCreateParams question() {
        return ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addUserMessage("What did the board decide? " + UUID.randomUUID())
                .build();
    }

    @Test
    void aCallInFlightForOneApiKeyIsNotJoinedByAnother() throws InterruptedException {
        ChatCompletionCreateParams params = question();
        int before = provider.requestCount();
        CompletableFuture<ChatCompletion> alice = CompletableFuture.supplyAsync(
                () -> this.alice.chat().completions().create(params));
        provider.awaitRequests(before + 1);

        HttpResponseFor<ChatCompletion> mallory =
                this.mallory.withRawResponse().chat().completions().create(params);

        assertThat(mallory.headers().values("x-litellm-cache-hit")).containsExactly("false");
        assertThat(provider.requestCount()).isEqualTo(before + 2);
        assertThat(mallory.parse().id()).isNotEqualTo(alice.join().id());
    }

    @Test
    void aStreamInFlightForOneApiKeyIsNotJoinedByAnotherWhoseRepeatReplaysItsOwn() throws InterruptedException {
        ChatCompletionCreateParams params = question();
        int before = provider.requestCount();
        CompletableFuture<List<ChatCompletionChunk>> alice =
                CompletableFuture.supplyAsync(() -> stream(this.alice, params));
        provider.awaitRequests(before + 1);

        List<ChatCompletionChunk> mallory = stream(this.mallory, params);
        List<ChatCompletionChunk> malloryAgain = stream(this.mallory, params);

        assertThat(provider.requestCount()).isEqualTo(before + 2);
        assertThat(mallory.get(0).id()).isNotEqualTo(alice.join().get(0).id());
        assertThat(malloryAgain.get(0).id()).isEqualTo(mallory.get(0).id());
    }

    private static List<ChatCompletionChunk> stream(OpenAIClient client, ChatCompletionCreateParams params) {
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(params)) {
            return stream.stream().toList();
        }
    }
}
