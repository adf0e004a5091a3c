package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.ProviderEndpoint;
import io.github.litellmcache.completion.ProviderRouter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The key matrix: what changes the default key and what never does. */
class DefaultCacheKeyGeneratorTests {

    private final ProviderRouter router = new ProviderRouter(
            new ProviderEndpoint("https://api.openai.com/v1", "sk-configured", null),
            new ProviderEndpoint("https://example.openai.azure.com", "azure-key", "2024-10-21"));

    private final DefaultCacheKeyGenerator generator = new DefaultCacheKeyGenerator(this.router);

    private static ChatCompletionRequest.Builder base() {
        return ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .message(ChatMessage.system("You are terse."))
                .message(ChatMessage.user("What is the capital of France?"))
                .temperature(0.2)
                .topP(0.9)
                .maxTokens(100)
                .n(1)
                .stop(List.of("\n\n"))
                .seed(42L)
                .user("user-1")
                .tools(List.of(Map.of("type", "function", "function", Map.of("name", "lookup"))))
                .responseFormat(Map.of("type", "json_object"))
                .logitBias(Map.of("50256", -100));
    }

    private String key(LlmRequest request) {
        return this.generator.generateKey(CallType.COMPLETION, request);
    }

    @Test
    void keyIsSha256InLowercaseHex() {
        assertThat(key(base().build())).matches("[0-9a-f]{64}");
    }

    @Test
    void sameRequestBuiltTwiceHasTheSameKey() {
        assertThat(key(base().build())).isEqualTo(key(base().build()));
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                change("model", b -> b.model("gpt-4o")),
                change(
                        "message role",
                        b -> b.messages(List.of(
                                ChatMessage.system("You are terse."),
                                ChatMessage.assistant("What is the capital of France?")))),
                change(
                        "message content",
                        b -> b.messages(List.of(
                                ChatMessage.system("You are terse."),
                                ChatMessage.user("What is the capital of Spain?")))),
                change(
                        "message name",
                        b -> b.messages(List.of(
                                ChatMessage.system("You are terse."),
                                ChatMessage.user("What is the capital of France?")
                                        .withName("alice")))),
                change(
                        "message order",
                        b -> b.messages(List.of(
                                ChatMessage.user("What is the capital of France?"),
                                ChatMessage.system("You are terse.")))),
                change("an added message", b -> b.message(ChatMessage.user("And Spain?"))),
                change(
                        "multi-part content",
                        b -> b.messages(List.of(
                                ChatMessage.system("You are terse."),
                                ChatMessage.multiPart(
                                        "user",
                                        List.of(Map.of("type", "text", "text", "What is the capital of France?")))))),
                change("temperature", b -> b.temperature(0.3)),
                change("top_p", b -> b.topP(0.8)),
                change("max_tokens", b -> b.maxTokens(101)),
                change("n", b -> b.n(2)),
                change("stop", b -> b.stop(List.of("END"))),
                change("seed", b -> b.seed(43L)),
                change("tools", b -> b.tools(List.of(Map.of("type", "function", "function", Map.of("name", "other"))))),
                change("response_format", b -> b.responseFormat(Map.of("type", "text"))),
                change("logit_bias", b -> b.logitBias(Map.of("50256", 100))),
                change("user", b -> b.user("user-2")),
                change("an extra provider param", b -> b.param("presence_penalty", 0.5)),
                change("provider route: api base", b -> b.apiBase("http://localhost:11434/v1")),
                change("provider route: azure", b -> b.model("azure/gpt-4o-mini")));
    }

    @ParameterizedTest(name = "changing {0} changes the key")
    @MethodSource("changes")
    void changingAParameterChangesTheKey(String what, UnaryOperator<ChatCompletionRequest.Builder> change) {
        assertThat(key(change.apply(base()).build())).isNotEqualTo(key(base().build()));
    }

    @Test
    void azureApiVersionChangesTheKeyAsItChangesTheAnswer() {
        ChatCompletionRequest.Builder azure = base().model("azure/gpt-4o-mini");

        assertThat(key(azure.apiVersion("2025-01-01-preview").build()))
                .isNotEqualTo(key(base().model("azure/gpt-4o-mini").build()))
                .isNotEqualTo(key(base().model("azure/gpt-4o-mini")
                        .apiVersion("2024-06-01")
                        .build()));
        assertThat(key(base().model("azure/gpt-4o-mini")
                        .apiVersion("2024-10-21")
                        .build()))
                .as("the configured version, set on the request")
                .isEqualTo(key(base().model("azure/gpt-4o-mini").build()));
    }

    static Stream<Arguments> nonChanges() {
        return Stream.of(
                change("the API key", b -> b.apiKey("sk-other")),
                change("metadata", b -> b.metadata(Map.of("trace", "abc"))),
                change("timeout", b -> b.timeout(Duration.ofSeconds(3))),
                change("mockResponse", b -> b.mockResponse("canned")),
                change("caching", b -> b.caching(true)),
                change(
                        "cache options",
                        b -> b.cache(CacheOptions.builder()
                                .ttl(Duration.ofMinutes(1))
                                .namespace("ns")
                                .build())),
                change("the openai/ prefix", b -> b.model("openai/gpt-4o-mini")),
                change("a trailing slash of the base URL", b -> b.apiBase("https://api.openai.com/v1/")));
    }

    @ParameterizedTest(name = "{0} does not change the key")
    @MethodSource("nonChanges")
    void optionsThatAreNotSentDoNotChangeTheKey(String what, UnaryOperator<ChatCompletionRequest.Builder> change) {
        assertThat(key(change.apply(base()).build())).isEqualTo(key(base().build()));
    }

    @Test
    void orderInWhichParametersWereSetDoesNotChangeTheKey() {
        ChatCompletionRequest forward = ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .temperature(0.2)
                .maxTokens(100)
                .seed(1L)
                .message(ChatMessage.user("hi"))
                .build();
        ChatCompletionRequest backward = ChatCompletionRequest.builder()
                .seed(1L)
                .message(ChatMessage.user("hi"))
                .maxTokens(100)
                .temperature(0.2)
                .model("gpt-4o-mini")
                .build();
        assertThat(key(forward)).isEqualTo(key(backward));
    }

    @Test
    void orderOfKeysInsideMapValuedParametersDoesNotChangeTheKey() {
        Map<String, Object> schemaAb = new LinkedHashMap<>();
        schemaAb.put("a", 1);
        schemaAb.put("b", Map.of("x", 1, "y", 2));
        Map<String, Object> schemaBa = new LinkedHashMap<>();
        schemaBa.put("b", Map.of("y", 2, "x", 1));
        schemaBa.put("a", 1);
        assertThat(key(base().responseFormat(Map.of("type", "json_schema", "json_schema", schemaAb))
                        .build()))
                .isEqualTo(key(base().responseFormat(Map.of("json_schema", schemaBa, "type", "json_schema"))
                        .build()));
    }

    @Test
    void mapKeysThatCompareEqualButAreWrittenApartKeepTheirRequestsApart() {
        Map<BigDecimal, Integer> both = new LinkedHashMap<>();
        both.put(new BigDecimal("1.0"), 5);
        both.put(new BigDecimal("1.00"), 7);
        ChatCompletionRequest sendsBoth = base().param("weights", both).build();
        ChatCompletionRequest sendsOne =
                base().param("weights", Map.of(new BigDecimal("1.0"), 7)).build();
        assertThat(key(sendsBoth)).isNotEqualTo(key(sendsOne));
    }

    @Test
    void orderOfNonTextMapKeysDoesNotChangeTheKey() {
        Map<Integer, Integer> forward = new LinkedHashMap<>();
        forward.put(2, -100);
        forward.put(10, 50);
        Map<Integer, Integer> backward = new LinkedHashMap<>();
        backward.put(10, 50);
        backward.put(2, -100);
        assertThat(key(base().param("logit_bias", forward).build()))
                .isEqualTo(key(base().param("logit_bias", backward).build()));
    }

    @Test
    void equalSetsThatIterateInDifferentOrdersHaveOneKey() {
        Set<String> small = new HashSet<>(List.of("Q", "0"));
        Set<String> grown = new HashSet<>(64);
        grown.addAll(List.of("0", "Q"));
        assertThat(List.copyOf(small)).isNotEqualTo(List.copyOf(grown));
        assertThat(key(base().param("labels", Set.of(small, "x")).build()))
                .isEqualTo(key(base().param("labels", Set.of("x", grown)).build()));
        assertThat(key(base().param("labels", small).build()))
                .isNotEqualTo(key(base().param("labels", Set.of("0")).build()));
    }

    @Test
    void setsSentInTheOrderTheyKeepHaveOneKeyPerOrder() {
        Set<String> toolsAb = new LinkedHashSet<>(List.of("a", "b"));
        Set<String> toolsBa = new LinkedHashSet<>(List.of("b", "a"));
        Set<String> reversed = new TreeSet<>(Comparator.reverseOrder());
        reversed.addAll(List.of("a", "b"));

        assertThat(key(base().param("enum", toolsBa).build()))
                .as("the provider reads [\"b\", \"a\"], not [\"a\", \"b\"]")
                .isNotEqualTo(key(base().param("enum", toolsAb).build()))
                .isEqualTo(key(base().param("enum", reversed).build()))
                .isEqualTo(key(base().param("enum", new LinkedHashSet<>(List.of("b", "a")))
                        .build()));
        assertThat(key(base().param("enum", new TreeSet<>(toolsBa)).build()))
                .isEqualTo(key(base().param("enum", toolsAb).build()));
    }

    @Test
    void aMapWhoseKeysAreWrittenAsTheSameNameTwiceGetsNoKey() {
        Map<Object, Integer> twice = new LinkedHashMap<>();
        twice.put(1, 5);
        twice.put("1", 7);
        assertThatThrownBy(() -> key(base().param("logit_bias", twice).build())).isInstanceOf(RuntimeException.class);
    }

    @Test
    void completionAndAcompletionShareAKey() {
        ChatCompletionRequest request = base().build();
        assertThat(this.generator.generateKey(CallType.ACOMPLETION, request))
                .isEqualTo(this.generator.generateKey(CallType.COMPLETION, request));
    }

    @Test
    void embeddingKeysDependOnInputAndDifferFromChat() {
        EmbeddingRequest one = EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input("hello")
                .build();
        EmbeddingRequest other = EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input("world")
                .build();
        assertThat(this.generator.generateKey(CallType.EMBEDDING, one))
                .isEqualTo(this.generator.generateKey(CallType.AEMBEDDING, one))
                .isNotEqualTo(this.generator.generateKey(CallType.EMBEDDING, other));
    }

    @Test
    void keyCarriesNoPromptText() {
        ChatCompletionRequest request =
                base().message(ChatMessage.user("secret-prompt-text")).build();
        assertThat(key(request)).doesNotContain("secret").doesNotContain("prompt");
    }

    @Test
    void unknownProviderPrefixIsRejectedNamingTheSupportedOnes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> key(base().model("bedrock/claude").build()))
                .withMessageContaining("bedrock")
                .withMessageContaining("openai/")
                .withMessageContaining("azure/");
    }

    @Test
    void mutatingAMapAfterBuildingChangesNeitherTheRequestNorItsKey() {
        Map<String, Object> format = new HashMap<>(Map.of("type", "json_object"));
        ChatCompletionRequest request = base().responseFormat(format).build();
        String before = key(request);
        format.put("type", "text");
        assertThat(request.params().get("response_format")).isEqualTo(Map.of("type", "json_object"));
        assertThat(key(request)).isEqualTo(before);
        assertThat(key(base().responseFormat(format).build())).isNotEqualTo(before);
    }

    @Test
    void aBuilderReusedAfterBuildingChangesNeitherTheRequestBuiltNorItsKey() {
        ChatCompletionRequest.Builder builder = base();
        ChatCompletionRequest first = builder.build();
        String key = key(first);

        ChatCompletionRequest second =
                builder.message(ChatMessage.user("And Spain?")).temperature(0.9).build();
        builder.messages(List.of(ChatMessage.user("replaced")));

        assertThat(first.messages()).hasSize(2);
        assertThat(first.params()).containsEntry("temperature", 0.2);
        assertThat(second.messages()).hasSize(3);
        assertThat(key(first)).isEqualTo(key).isEqualTo(key(base().build()));
        assertThatThrownBy(() -> first.messages().add(ChatMessage.user("x")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rememberedKeysAreTheSameAsComputedOnes() {
        ChatCompletionRequest plain = base().build();
        assertThat(plain.hasPlainParams()).isTrue();
        String first = key(plain);
        assertThat(key(base().build())).isEqualTo(first);
        assertThat(new DefaultCacheKeyGenerator(this.router).generateKey(CallType.COMPLETION, base().build()))
                .isEqualTo(first);
    }

    /**
     * A key remembered for one namespace would answer the same request of another namespace sooner than
     * a digest: a caller could time its own calls to learn that another namespace sent the request.
     */
    @Test
    void aRequestRememberedForOneNamespaceIsKeyedAnewForAnotherWithTheSameKey() {
        String alice = key(
                base().cache(CacheOptions.builder().namespace("alice").build()).build());
        long rememberedForAlice = this.generator.memoBytes();

        String mallory =
                key(base().cache(CacheOptions.builder().namespace("mallory").build())
                        .build());

        assertThat(mallory).isEqualTo(alice);
        assertThat(this.generator.memoBytes())
                .as("the request of the second namespace was keyed and remembered on its own")
                .isGreaterThan(rememberedForAlice);
        long rememberedForBoth = this.generator.memoBytes();
        assertThat(key(base().cache(CacheOptions.builder().namespace("mallory").build())
                        .build()))
                .isEqualTo(alice);
        assertThat(this.generator.memoBytes()).isEqualTo(rememberedForBoth);
    }

    @Test
    void requestsWithNonPlainParamsAreKeyedByTheirJsonForm() {
        ChatCompletionRequest one = base().param("schema", new Schema("a")).build();
        assertThat(one.hasPlainParams()).isFalse();
        assertThat(key(base().param("schema", new Schema("a")).build())).isEqualTo(key(one));
        assertThat(key(base().param("schema", new Schema("b")).build())).isNotEqualTo(key(one));
    }

    @Test
    void aMutableObjectInsideAMessagePartChangedBetweenCallsGivesANewKey() {
        AtomicReference<String> detail = new AtomicReference<>("low");
        ChatMessage message = ChatMessage.multiPart(
                "user",
                List.of(Map.of(
                        "type", "image_url", "image_url", Map.of("url", "https://x/cat.png", "detail", detail))));
        ChatCompletionRequest request = base().message(message).build();
        String low = key(request);

        detail.set("high");

        assertThat(request.hasPlainParams()).isFalse();
        assertThat(key(request)).isNotEqualTo(low);
        assertThat(key(base().message(message).build())).isNotEqualTo(low);
    }

    @Test
    void aMutableObjectInsideAToolCallOrAnExtraFieldChangedBetweenCallsGivesANewKey() {
        AtomicReference<String> arguments = new AtomicReference<>("{\"city\":\"Paris\"}");
        ChatMessage toolCall = ChatMessage.assistant("")
                .withToolCalls(List.of(Map.of("id", "call_1", "function", Map.of("arguments", arguments))));
        AtomicReference<String> refusal = new AtomicReference<>("no");
        ChatMessage extra = ChatMessage.assistant("ok").withExtraFields(Map.of("refusal", refusal));
        ChatCompletionRequest withToolCall = base().message(toolCall).build();
        ChatCompletionRequest withExtra = base().message(extra).build();
        String toolCallKey = key(withToolCall);
        String extraKey = key(withExtra);

        arguments.set("{\"city\":\"Rome\"}");
        refusal.set("yes");

        assertThat(key(withToolCall)).isNotEqualTo(toolCallKey);
        assertThat(key(withExtra)).isNotEqualTo(extraKey);
    }

    @Test
    void messagesOfPlainPartsAndToolCallsKeepTheirRequestPlain() {
        ChatMessage parts = ChatMessage.multiPart("user", List.of(Map.of("type", "text", "text", "hi")));
        ChatMessage toolCall = ChatMessage.assistant("")
                .withToolCalls(List.of(Map.of("id", "call_1", "function", Map.of("arguments", "{}"))))
                .withExtraFields(Map.of("refusal", "no"));
        assertThat(base().message(parts).message(toolCall).build().hasPlainParams())
                .isTrue();
    }

    record Schema(String name) {}

    private static Arguments change(String what, UnaryOperator<ChatCompletionRequest.Builder> change) {
        return Arguments.of(what, change);
    }
}
