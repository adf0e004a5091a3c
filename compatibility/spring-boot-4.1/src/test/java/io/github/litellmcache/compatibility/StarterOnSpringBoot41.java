package io.github.litellmcache.compatibility;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.testsupport.OpenAiFake;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.PackageVersion;
import tools.jackson.databind.json.JsonMapper;

/**
 * The starter in an application on Spring Boot 4.1 (this module's parent), called through {@link CompletionService}
 * against {@link #provider}, which answers with every field OpenAI sends and unknown ones at each level
 * ({@link OpenAiFake#kitchenSink()}). A subclass starts {@link #application} with its cache type before its tests;
 * both are closed after them.
 */
abstract class StarterOnSpringBoot41 {

    /** The Jackson version the tests run on: Spring Boot's, or the one a Surefire execution puts in its place. */
    private static final String EXPECTED_JACKSON = System.getProperty("compatibility.jackson.version");

    static OpenAiFake provider;

    static ConfigurableApplicationContext application;

    /** The application, on {@link #provider}, with {@code properties} ({@code name=value}). */
    static void start(String... properties) {
        provider = new OpenAiFake();
        provider.kitchenSink();
        List<String> all = new ArrayList<>(List.of(
                "litellm.mock.enabled=false",
                "litellm.openai.api-key=test-key",
                "litellm.openai.api-base=" + provider.apiBase()));
        all.addAll(List.of(properties));
        application = new SpringApplicationBuilder(CompatibilityApplication.class)
                .web(WebApplicationType.NONE)
                .run(all.stream().map(property -> "--" + property).toArray(String[]::new));
    }

    @AfterAll
    static void stop() throws IOException {
        application.close();
        provider.close();
    }

    @Test
    void theApplicationStartsOnSpringBoot41WithTheJacksonOfItsExecution() {
        assertThat(SpringBootVersion.getVersion()).startsWith("4.1.");
        assertThat(EXPECTED_JACKSON).as("set by the Surefire execution").isNotBlank();
        assertThat(PackageVersion.VERSION.toString()).isEqualTo(EXPECTED_JACKSON);
        assertThat(JsonMapper.builder().build().version().toString()).isEqualTo(EXPECTED_JACKSON);
        assertThat(application.getBean(CompletionService.class)).isNotNull();
    }

    @Test
    void aSecondIdenticalChatCallIsAHit() {
        ChatCompletionRequest request = question();
        int asked = provider.requestCount();

        ChatCompletion miss = llm().completion(request);
        ChatCompletion hit = llm().completion(request);

        assertThat(miss.cacheHit()).isFalse();
        assertThat(hit.cacheHit()).isTrue();
        assertThat(hit.content()).isEqualTo(miss.content());
        assertThat(provider.requestCount()).isEqualTo(asked + 1);
    }

    @Test
    void aHitKeepsTheProvidersUnknownFieldsInItsOrderAndIsWrittenAsTheMiss() {
        ChatCompletionRequest request = question();
        ChatCompletion miss = llm().completion(request);
        JsonNode sent = provider.lastAnswer();
        ChatCompletion hit = llm().completion(request);
        JsonMapper json = application.getBean(JsonMapper.class);

        ChatCompletion.Choice choice = hit.choices().get(0);
        assertThat(hit.cacheHit()).isTrue();
        assertThat(hit.extraFields().keySet()).containsExactly("service_tier", "x_provider");
        assertThat(choice.extraFields().keySet()).containsExactly("logprobs", "x_choice_rank");
        assertThat(choice.message().extraFields().keySet())
                .as("neither alphabetical nor its reverse: any reordering shows")
                .containsExactly("refusal", "annotations", "audio", "reasoning_content", "x_vendor_trace");
        assertThat(json.readTree(json.writeValueAsString(hit))).isEqualTo(sent);
        assertThat(json.writeValueAsString(hit))
                .as("the same text as the miss: a Redis hit read in the wrong order twice shows only in the miss")
                .isEqualTo(json.writeValueAsString(miss));
    }

    @Test
    void aRepeatedStreamIsAHitWithTheSameChunks() {
        ChatCompletionRequest request =
                question(builder -> builder.param("stream_options", Map.of("include_usage", true)));
        JsonMapper json = application.getBean(JsonMapper.class);
        int asked = provider.requestCount();

        List<ChatCompletionChunk> miss =
                llm().streamCompletion(request).collectList().block();
        List<ChatCompletionChunk> replay =
                llm().streamCompletion(request).collectList().block();

        assertThat(miss)
                .isNotEmpty()
                .noneSatisfy(chunk -> assertThat(chunk.cacheHit()).isTrue());
        assertThat(replay).allSatisfy(chunk -> assertThat(chunk.cacheHit()).isTrue());
        assertThat(replay.stream().map(json::writeValueAsString).toList())
                .isEqualTo(miss.stream().map(json::writeValueAsString).toList());
        assertThat(provider.requestCount()).isEqualTo(asked + 1);
    }

    @Test
    void aRepeatedEmbeddingIsAHit() {
        EmbeddingRequest request = EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input(List.of("compatibility " + UUID.randomUUID(), "second item"))
                .build();
        int asked = provider.requestCount();

        EmbeddingResponse miss = llm().embedding(request);
        EmbeddingResponse hit = llm().embedding(request);

        assertThat(miss.cacheHit()).isFalse();
        assertThat(hit.cacheHit()).isTrue();
        assertThat(hit.data()).isEqualTo(miss.data());
        assertThat(provider.requestCount()).isEqualTo(asked + 1);
    }

    static CompletionService llm() {
        return application.getBean(CompletionService.class);
    }

    static ChatCompletionRequest question() {
        return question(builder -> builder);
    }

    /** A new question, asked with logprobs, with {@code options} applied to its builder. */
    private static ChatCompletionRequest question(UnaryOperator<ChatCompletionRequest.Builder> options) {
        return options.apply(ChatCompletionRequest.builder()
                        .model("gpt-4o-mini")
                        .message(ChatMessage.user("compatibility " + UUID.randomUUID()))
                        .param("logprobs", true)
                        .param("top_logprobs", 2))
                .build();
    }
}
