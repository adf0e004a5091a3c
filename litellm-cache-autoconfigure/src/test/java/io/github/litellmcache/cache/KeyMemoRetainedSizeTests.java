package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.ProviderEndpoint;
import io.github.litellmcache.completion.ProviderRouter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The key memo of {@link DefaultCacheKeyGenerator} is bounded by an estimate of everything it
 * retains, not only by its text: numbers, map keys and tool-call arguments count too.
 */
class KeyMemoRetainedSizeTests {

    private final ProviderRouter router = new ProviderRouter(
            new ProviderEndpoint("https://api.openai.com/v1", "sk-configured", null),
            new ProviderEndpoint("https://example.openai.azure.com", "azure-key", "2024-10-21"));

    private final DefaultCacheKeyGenerator generator = new DefaultCacheKeyGenerator(this.router);

    @Test
    void craftedLargeRequestsNeverMakeTheMemoRetainMoreThanItsBudget() {
        long largest = 0;
        for (int i = 0; i < 240; i++) {
            this.generator.generateKey(CallType.COMPLETION, crafted(i % 3, 2_000, i));
            assertThat(this.generator.memoBytes()).isLessThanOrEqualTo(DefaultCacheKeyGenerator.MEMO_BUDGET);
            largest = Math.max(largest, this.generator.memoBytes());
        }
        assertThat(largest)
                .as("the crafted requests are remembered, each close to the per-request cap")
                .isGreaterThan(DefaultCacheKeyGenerator.MEMO_BUDGET / 2);
    }

    static Stream<Arguments> oversizedRequests() {
        return Stream.of(
                Arguments.of("numbers", 0), Arguments.of("map keys", 1), Arguments.of("tool-call arguments", 2));
    }

    @ParameterizedTest(name = "a request over the per-request cap in {0} is not remembered")
    @MethodSource("oversizedRequests")
    void aRequestOverThePerRequestCapIsNotRememberedButKeyedAlike(String what, int kind) {
        ChatCompletionRequest request = crafted(kind, 20_000, 1);

        String key = this.generator.generateKey(CallType.COMPLETION, request);

        assertThat(request.hasPlainParams()).isTrue();
        assertThat(this.generator.memoBytes()).isZero();
        assertThat(this.generator.generateKey(CallType.COMPLETION, crafted(kind, 20_000, 1)))
                .isEqualTo(key);
    }

    static Stream<Arguments> longRoutes() {
        String longText = "v".repeat(40_000);
        return Stream.of(
                Arguments.of("base URL", (UnaryOperator<ChatCompletionRequest.Builder>)
                        builder -> builder.apiBase("https://llm.example/" + longText)),
                Arguments.of("API version", (UnaryOperator<ChatCompletionRequest.Builder>)
                        builder -> builder.apiVersion(longText)));
    }

    @ParameterizedTest(name = "a request whose {0} is over the per-request cap is not remembered")
    @MethodSource("longRoutes")
    void aRequestWhoseRouteIsOverThePerRequestCapIsNotRemembered(
            String what, UnaryOperator<ChatCompletionRequest.Builder> route) {
        ChatCompletionRequest request = route.apply(
                        ChatCompletionRequest.builder().model("gpt-4o-mini").message(ChatMessage.user("hi")))
                .build();

        this.generator.generateKey(CallType.COMPLETION, request);

        assertThat(this.generator.memoBytes()).isZero();
    }

    @Test
    void anOrdinaryRequestIsRemembered() {
        this.generator.generateKey(CallType.COMPLETION, crafted(0, 10, 1));

        assertThat(this.generator.memoBytes()).isPositive();
    }

    @Test
    void tokenArraysAreRememberedWithinTheCapAndKeyedAlike() {
        String key = this.generator.generateKey(CallType.EMBEDDING, tokens(10));
        long remembered = this.generator.memoBytes();

        String large = this.generator.generateKey(CallType.EMBEDDING, tokens(20_000));

        assertThat(remembered).isPositive();
        assertThat(this.generator.memoBytes()).as("over the per-request cap").isEqualTo(remembered);
        assertThat(this.generator.generateKey(CallType.EMBEDDING, tokens(10))).isEqualTo(key);
        assertThat(this.generator.generateKey(CallType.EMBEDDING, tokens(20_000)))
                .isEqualTo(large)
                .isNotEqualTo(key);
    }

    /** An embedding request of one token array of {@code size} tokens. */
    private static EmbeddingRequest tokens(int size) {
        return EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .inputTokens(List.of(IntStream.range(0, size).boxed().toList()))
                .build();
    }

    /** A request whose bulk is numbers (0), map keys (1) or tool-call arguments (2), {@code size} of them. */
    private static ChatCompletionRequest crafted(int kind, int size, long seed) {
        ChatCompletionRequest.Builder builder =
                ChatCompletionRequest.builder().model("gpt-4o-mini").seed(seed).message(ChatMessage.user("hi"));
        IntFunction<String> name = i -> "k" + i;
        switch (kind) {
            case 0 -> builder.param("numbers", IntStream.range(0, size).boxed().toList());
            case 1 -> {
                Map<String, Object> keys = new LinkedHashMap<>();
                IntStream.range(0, size / 4).forEach(i -> keys.put(name.apply(i), true));
                builder.param("bias", keys);
            }
            default ->
                builder.message(ChatMessage.assistant("")
                        .withToolCalls(List.of(Map.of(
                                "id", "call_1", "function", Map.of("name", "f", "arguments", "9".repeat(size * 12))))));
        }
        return builder.build();
    }
}
