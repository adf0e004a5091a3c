package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.WireFormat;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the provider said is what the caller gets, on a miss, a hit and a replay: every backend is
 * held to it against a provider that sends every field OpenAI does and some it does not. Apart from
 * the differences documented on {@link ChatCompletion}, the answers are JSON-equal to the provider's.
 */
public abstract class AbstractProviderFidelityTests extends AbstractCachedApplicationTests {

    /**
     * A backend deadline that the first request of a cold JVM to Redis or S3 never nears on a loaded
     * machine: these tests pin what a hit carries, and a first write timed out would make it a miss.
     */
    protected static final String GENEROUS_TIMEOUT = "litellm.cache.timeout=5s";

    /** Modelled fields that a provider may send as null and that are written as absent. */
    private static final Set<String> MODELLED = Set.of("usage", "system_fingerprint", "model", "role", "content");

    private static final JsonMapper JSON = WireFormat.jsonMapper();

    /** {@link #applicationRunner()} on this backend. */
    protected abstract ApplicationContextRunner contextRunner();

    @BeforeEach
    void answerWithEveryField() {
        this.provider.kitchenSink();
    }

    @Test
    void completionMissAndHitAreWhatTheProviderSent() {
        contextRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletionRequest request = question();
            ChatCompletion miss = service.completion(request);
            JsonNode sent = this.provider.lastAnswer();
            ChatCompletion hit = service.completion(request);

            assertThat(hit.cacheHit()).isTrue();
            assertThat(json(miss)).isEqualTo(sent);
            assertThat(json(hit)).isEqualTo(sent);
            assertThat(hit).isEqualTo(miss.withCacheResult(true, miss.cacheKey()));
        });
    }

    @Test
    void acompletionMissAndHitAreWhatTheProviderSent() {
        contextRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletionRequest request = question();
            ChatCompletion miss = service.acompletion(request).block();
            JsonNode sent = this.provider.lastAnswer();
            ChatCompletion hit = service.acompletion(request).block();

            assertThat(hit.cacheHit()).isTrue();
            assertThat(json(miss)).isEqualTo(sent);
            assertThat(json(hit)).isEqualTo(sent);
        });
    }

    @Test
    void typedAccessorsReadTheFieldsAndUnknownOnesKeepTheirOrder() {
        contextRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletionRequest request = question();
            service.completion(request);
            ChatCompletion hit = service.completion(request);

            ChatCompletion.Choice choice = hit.choices().get(0);
            assertThat(hit.serviceTier()).isEqualTo("default");
            assertThat(hit.systemFingerprint()).isEqualTo("fp_sink");
            assertThat(hit.extraFields()).containsOnlyKeys("service_tier", "x_provider");
            assertThat(choice.logprobs()).containsKey("content");
            assertThat(choice.message().refusal()).startsWith("I cannot");
            assertThat(choice.message().reasoningContent()).isNotEmpty();
            assertThat(choice.message().annotations()).hasSize(1);
            assertThat(choice.message().extraFields().keySet())
                    .containsExactly("refusal", "annotations", "audio", "reasoning_content", "x_vendor_trace");
            assertThat(hit.usage().cachedTokens()).isEqualTo(4L);
            assertThat(hit.usage().reasoningTokens()).isEqualTo(7L);
        });
    }

    @Test
    void streamAndItsReplayAreTheChunksTheProviderSent() {
        contextRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletionRequest request = streamQuestion();
            List<ChatCompletionChunk> miss =
                    service.streamCompletion(request).collectList().block();
            List<JsonNode> sent = this.provider.lastChunks();
            List<ChatCompletionChunk> replay =
                    service.streamCompletion(request).collectList().block();

            assertPassedOnAsSentAndReplayedAsPassedOn(sent, miss, replay);
            assertThat(this.provider.requestCount()).isEqualTo(1);
        });
    }

    /** The chunks passed on are those the provider sent; those replayed are hits and the same chunks. */
    private static void assertPassedOnAsSentAndReplayedAsPassedOn(
            List<JsonNode> sent, List<ChatCompletionChunk> miss, List<ChatCompletionChunk> replay) {
        assertThat(miss.stream().map(AbstractProviderFidelityTests::json).toList())
                .isEqualTo(sent.stream()
                        .map(AbstractProviderFidelityTests::withoutNullModelledFields)
                        .toList());
        assertThat(replay).allSatisfy(chunk -> assertThat(chunk.cacheHit()).isTrue());
        assertThat(replay.stream().map(AbstractProviderFidelityTests::json).toList())
                .isEqualTo(
                        miss.stream().map(AbstractProviderFidelityTests::json).toList());
    }

    @Test
    void completionServedFromAStoredStreamCarriesTheConcatenatedReasoningAndTheFinalUsage() {
        contextRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletionRequest request = streamQuestion();
            service.streamCompletion(request).collectList().block();
            List<JsonNode> sent = this.provider.lastChunks();
            ChatCompletion hit = service.completion(request);

            ChatMessage message = hit.choices().get(0).message();
            assertThat(hit.cacheHit()).isTrue();
            assertThat(message.reasoningContent()).isEqualTo("The user asks; I answer.");
            assertThat(message.refusal()).isEqualTo("I cannot share the secret part.");
            assertThat(message.annotations()).hasSize(1);
            assertThat(json(hit.usage())).isEqualTo(sent.get(sent.size() - 1).get("usage"));
            assertThat(hit.systemFingerprint()).isEqualTo("fp_sink");
            assertThat(hit.serviceTier()).isEqualTo("default");
            assertThat((List<?>) hit.choices().get(0).logprobs().get("content"))
                    .as("one token per word of the answer")
                    .hasSize(message.content().split(" ").length);
        });
    }

    @Test
    void aStreamWithoutIdsIsPassedOnStoredAndReplayedAndAnswersAPlainCall() {
        this.provider.streamWithoutIds();
        contextRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletionRequest request = streamQuestion();
            List<ChatCompletionChunk> miss =
                    service.streamCompletion(request).collectList().block();
            List<JsonNode> sent = this.provider.lastChunks();
            List<ChatCompletionChunk> replay =
                    service.streamCompletion(request).collectList().block();
            ChatCompletion hit = service.completion(request);

            assertThat(sent).allSatisfy(chunk -> assertThat(chunk.has("id")).isFalse());
            assertPassedOnAsSentAndReplayedAsPassedOn(sent, miss, replay);
            assertThat(hit.cacheHit()).isTrue();
            assertThat(hit.id()).isNull();
            assertThat(hit.content())
                    .isNotEmpty()
                    .isEqualTo(miss.stream()
                            .map(ChatCompletionChunk::content)
                            .filter(Objects::nonNull)
                            .collect(Collectors.joining()));
            assertThat(json(hit.usage())).isEqualTo(sent.get(sent.size() - 1).get("usage"));
            assertThat(this.provider.requestCount()).isEqualTo(1);
        });
    }

    @Test
    void streamServedFromAStoredCompletionCarriesItsFields() {
        contextRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletionRequest request = question();
            ChatCompletion stored = service.completion(request);
            List<ChatCompletionChunk> replay =
                    service.streamCompletion(request).collectList().block();

            ChatCompletionChunk last = replay.get(replay.size() - 1);
            assertThat(replay).allSatisfy(chunk -> {
                assertThat(chunk.systemFingerprint()).isEqualTo("fp_sink");
                assertThat(chunk.extraFields()).containsKey("x_provider");
            });
            assertThat(replay)
                    .anySatisfy(
                            chunk -> assertThat(chunk.choices().get(0).delta().reasoningContent())
                                    .isEqualTo(stored.choices().get(0).message().reasoningContent()));
            assertThat(last.choices().get(0).finishReason()).isEqualTo("stop");
            assertThat(replay)
                    .as("a stream asked without include_usage carries no usage")
                    .allSatisfy(chunk -> assertThat(chunk.usage()).isNull());
            assertThat(this.provider.requestCount()).isEqualTo(1);
        });
    }

    @Test
    void embeddingsMissAndHitKeepTheFieldsTheProviderSent() {
        contextRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            EmbeddingRequest request = EmbeddingRequest.builder()
                    .model("text-embedding-3-small")
                    .input("fidelity " + UUID.randomUUID())
                    .build();
            EmbeddingResponse miss = service.embedding(request);
            JsonNode sent = this.provider.lastAnswer();
            EmbeddingResponse hit = service.embedding(request);

            assertThat(hit.cacheHit()).isTrue();
            assertThat(withoutCompletionTokens(json(miss))).isEqualTo(sent);
            assertThat(withoutCompletionTokens(json(hit))).isEqualTo(sent);
        });
    }

    @Test
    void unknownParametersReachTheProviderAndTellKeysApart() {
        contextRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            String prompt = "parameters " + UUID.randomUUID();
            ChatCompletion first = service.completion(ChatCompletionRequest.builder()
                    .model("gpt-4o-mini")
                    .message(ChatMessage.user(prompt).withExtraFields(Map.of("cache_control", Map.of("type", "x"))))
                    .param("x_routing", Map.of("tier", List.of("a", 1)))
                    .build());
            JsonNode body = this.provider.lastBody();
            ChatCompletion other = service.completion(ChatCompletionRequest.builder()
                    .model("gpt-4o-mini")
                    .message(ChatMessage.user(prompt).withExtraFields(Map.of("cache_control", Map.of("type", "y"))))
                    .param("x_routing", Map.of("tier", List.of("a", 1)))
                    .build());

            assertThat(body.path("x_routing").path("tier").toString()).isEqualTo("[\"a\",1]");
            assertThat(body.path("messages")
                            .path(0)
                            .path("cache_control")
                            .path("type")
                            .asString())
                    .isEqualTo("x");
            assertThat(other.cacheHit()).isFalse();
            assertThat(other.cacheKey()).isNotEqualTo(first.cacheKey());
        });
    }

    private static ChatCompletionRequest question() {
        return question(
                "fidelity " + UUID.randomUUID(),
                request -> request.param("logprobs", true).param("top_logprobs", 2));
    }

    private static ChatCompletionRequest streamQuestion() {
        return question(
                "fidelity stream " + UUID.randomUUID(),
                request -> request.param("stream_options", Map.of("include_usage", true)));
    }

    /** {@code value} as our JSON, read back as a tree. */
    private static JsonNode json(Object value) {
        return JSON.readTree(JSON.writeValueAsString(value));
    }

    /** The provider's JSON without the null modelled fields that we write as absent. */
    private static JsonNode withoutNullModelledFields(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            MODELLED.stream()
                    .filter(name -> object.path(name).isNull())
                    .toList()
                    .forEach(object::remove);
        }
        node.forEach(AbstractProviderFidelityTests::strip);
    }

    /** Our embeddings JSON without {@code usage.completion_tokens}, which OpenAI does not send for embeddings. */
    private static JsonNode withoutCompletionTokens(JsonNode node) {
        ((ObjectNode) node.get("usage")).remove("completion_tokens");
        return node;
    }
}
