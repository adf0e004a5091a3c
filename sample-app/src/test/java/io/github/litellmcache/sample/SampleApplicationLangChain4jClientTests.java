package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.catalog.ModelDescription;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiModelCatalog;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The sample application driven by LangChain4j's OpenAI models, pointed at it by their {@code baseUrl}. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"litellm.mock.enabled=true", "litellm.mock.latency=20ms", "litellm.cache.type=local"})
class SampleApplicationLangChain4jClientTests {

    @LocalServerPort
    private int port;

    private String baseUrl() {
        return "http://localhost:" + this.port + "/v1";
    }

    private OpenAiChatModel chatModel(String modelName) {
        return OpenAiChatModel.builder()
                .baseUrl(baseUrl())
                .apiKey("sk-test")
                .modelName(modelName)
                .maxRetries(0)
                .build();
    }

    @Test
    void repeatedChatIsACacheHitSeenInTheRawResponseHeaders() {
        OpenAiChatModel model = chatModel("gpt-4o-mini");
        String prompt = "Tell me about caches " + UUID.randomUUID();

        ChatResponse first = model.chat(
                ChatRequest.builder().messages(UserMessage.from(prompt)).build());
        ChatResponse second = model.chat(
                ChatRequest.builder().messages(UserMessage.from(prompt)).build());

        assertThat(cacheHit(first)).containsExactly("false");
        assertThat(cacheHit(second)).containsExactly("true");
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.aiMessage().text())
                .isNotEmpty()
                .isEqualTo(first.aiMessage().text());
    }

    @Test
    void streamedChatReportsItsUsageOnTheFirstCallAndOnTheCachedRepeat() throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
                .baseUrl(baseUrl())
                .apiKey("sk-test")
                .modelName("gpt-4o-mini")
                .build();
        String prompt = "Stream with usage " + UUID.randomUUID();

        ChatResponse first = stream(model, prompt);
        ChatResponse replayed = stream(model, prompt);

        assertThat(first.tokenUsage().totalTokenCount()).isPositive();
        assertThat(replayed.tokenUsage()).isEqualTo(first.tokenUsage());
        assertThat(replayed.id()).as("served from the cache").isEqualTo(first.id());
        assertThat(replayed.aiMessage().text())
                .isNotEmpty()
                .isEqualTo(first.aiMessage().text());
    }

    @Test
    void embeddingIsAnsweredWithTheRequestedDimensions() {
        OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder()
                .baseUrl(baseUrl())
                .apiKey("sk-test")
                .modelName("text-embedding-3-small")
                .dimensions(8)
                .maxRetries(0)
                .build();
        String text = "Vectors " + UUID.randomUUID();

        float[] vector = model.embed(text).content().vector();

        assertThat(vector).hasSize(8);
        assertThat(model.embed(text).content().vector()).isEqualTo(vector);
    }

    @Test
    void badRequestCarriesTheOpenAiErrorMessage() {
        OpenAiChatModel model = chatModel(" ");

        assertThatExceptionOfType(InvalidRequestException.class)
                .isThrownBy(() -> model.chat("Hi"))
                .withMessageContaining("add \\\"model\\\": \\\"gpt-4o-mini\\\" to the request body");
    }

    @Test
    void modelCatalogListsTheServedModels() {
        List<ModelDescription> models = OpenAiModelCatalog.builder()
                .baseUrl(baseUrl())
                .apiKey("sk-test")
                .build()
                .listModels();

        assertThat(models).extracting(ModelDescription::name).containsExactly("gpt-4o-mini", "text-embedding-3-small");
        assertThat(models).extracting(ModelDescription::owner).containsOnly("litellm-cache-mock");
    }

    private static List<String> cacheHit(ChatResponse response) {
        return ((OpenAiChatResponseMetadata) response.metadata())
                .rawHttpResponse().headers().entrySet().stream()
                        .filter(header -> header.getKey().equalsIgnoreCase("x-litellm-cache-hit"))
                        .flatMap(header -> header.getValue().stream())
                        .toList();
    }

    private static ChatResponse stream(OpenAiStreamingChatModel model, String prompt) throws Exception {
        CompletableFuture<ChatResponse> response = new CompletableFuture<>();
        model.chat(prompt, new StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(ChatResponse complete) {
                response.complete(complete);
            }

            @Override
            public void onError(Throwable error) {
                response.completeExceptionally(error);
            }
        });
        return response.get(10, TimeUnit.SECONDS);
    }
}
