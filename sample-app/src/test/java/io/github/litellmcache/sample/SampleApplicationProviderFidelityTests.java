package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample application in front of a provider that sends every field OpenAI does and some it does
 * not, driven by the official OpenAI Java SDK: what the provider said reaches the client, on a miss
 * and on a hit.
 */
class SampleApplicationProviderFidelityTests extends SampleApplicationOnProviderFake {

    private static final String CACHE_HIT = "x-litellm-cache-hit";

    @AutoClose
    private OpenAIClient client;

    @BeforeAll
    static void kitchenSinkProvider() {
        provider.kitchenSink();
    }

    @BeforeEach
    void connect() {
        this.client = SampleClients.openAi(this.port);
    }

    @Test
    void missIsTheProvidersJsonAndTheClientSeesLogprobsRefusalAndUsageDetailsOnTheHitToo() throws IOException {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addUserMessage("Everything " + UUID.randomUUID())
                .logprobs(true)
                .topLogprobs(2)
                .build();

        HttpResponse miss = this.client.withRawResponse().chat().completions().create(params);
        String body;
        try (miss) {
            body = new String(miss.body().readAllBytes(), StandardCharsets.UTF_8);
        }
        HttpResponseFor<ChatCompletion> hit =
                this.client.withRawResponse().chat().completions().create(params);

        JsonMapper json = JsonMapper.builder().build();
        assertThat(json.readTree(body)).isEqualTo(provider.lastAnswer());
        assertThat(hit.headers().values(CACHE_HIT)).containsExactly("true");
        ChatCompletion completion = hit.parse();
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.logprobs().orElseThrow().content().orElseThrow())
                .isNotEmpty()
                .allSatisfy(token -> assertThat(token.topLogprobs()).hasSize(2));
        assertThat(choice.message().refusal()).hasValue("I cannot share the secret part.");
        assertThat(choice.message().annotations().orElseThrow()).hasSize(1);
        assertThat(choice.message()._additionalProperties()).containsKey("reasoning_content");
        CompletionUsage usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).hasValue(4L);
        assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens())
                .hasValue(7L);
        assertThat(completion.serviceTier()).isPresent();
        assertThat(completion.systemFingerprint()).hasValue("fp_sink");
    }

    @Test
    void replayedStreamCarriesLogprobsRefusalAndUsageDetails() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addUserMessage("Stream everything " + UUID.randomUUID())
                .streamOptions(
                        ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();

        List<ChatCompletionChunk> first = stream(params);
        List<ChatCompletionChunk> replayed = stream(params);

        assertThat(replayed).hasSameSizeAs(first).hasSameSizeAs(provider.lastChunks());
        assertThat(replayed)
                .anySatisfy(
                        chunk -> assertThat(chunk.choices().get(0).logprobs()).isPresent())
                .anySatisfy(chunk ->
                        assertThat(chunk.choices().get(0).delta().refusal()).isPresent())
                .allSatisfy(chunk -> assertThat(chunk.systemFingerprint()).hasValue("fp_sink"));
        CompletionUsage usage = replayed.get(replayed.size() - 1).usage().orElseThrow();
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).hasValue(4L);
        assertThat(replayed.get(0).id()).isEqualTo(first.get(0).id());
    }

    private List<ChatCompletionChunk> stream(ChatCompletionCreateParams params) {
        try (StreamResponse<ChatCompletionChunk> stream =
                this.client.chat().completions().createStreaming(params)) {
            return stream.stream().toList();
        }
    }
}
