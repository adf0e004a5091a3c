package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.ProviderEndpoint;
import io.github.litellmcache.completion.ProviderRouter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The default keys of embedding items: what the items share is digested once per request, so an
 * item's key depends on that shared part and on the item alone.
 */
class EmbeddingItemKeysTests {

    /**
     * The key of the item "a" of {@link #base}, as every version since item keys has given it: the
     * SHA-256 of the SHA-256 of the shared canonical form followed by the text's UTF-8 bytes.
     */
    private static final String TEXT_ITEM_KEY_OF_A = "209b08bfc9b31f662284605f8fdc8b3d6750f92a477943f265503a0b8ed53b49";

    private final DefaultCacheKeyGenerator generator = new DefaultCacheKeyGenerator(new ProviderRouter(
            new ProviderEndpoint("https://api.openai.com/v1", "sk-configured", null),
            new ProviderEndpoint("https://example.openai.azure.com", "azure-key", "2024-10-21")));

    private static EmbeddingRequest.Builder base(String... input) {
        return EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .dimensions(256)
                .input(List.of(input));
    }

    private Function<String, String> keys(EmbeddingRequest request) {
        return this.generator.itemKeys(CallType.EMBEDDING, request);
    }

    @Test
    void itemsOfOneRequestHaveDifferentKeysThatIdenticalRequestsRepeat() {
        Function<String, String> first = keys(base("a", "b").build());
        Function<String, String> again = keys(base("a", "b").build());

        assertThat(first.apply("a")).matches("[0-9a-f]{64}").isNotEqualTo(first.apply("b"));
        assertThat(again.apply("a")).isEqualTo(first.apply("a"));
        assertThat(again.apply("b")).isEqualTo(first.apply("b"));
    }

    @Test
    void anItemsKeyDoesNotDependOnTheOtherItemsOfItsRequest() {
        assertThat(keys(base("a", "b", "c").build()).apply("a"))
                .isEqualTo(keys(base("a").build()).apply("a"))
                .isEqualTo(keys(base("z", "a").build()).apply("a"));
    }

    @Test
    void changingASharedParameterChangesEveryItemsKey() {
        String key = keys(base("a").build()).apply("a");

        assertThat(keys(base("a").dimensions(512).build()).apply("a")).isNotEqualTo(key);
        assertThat(keys(base("a").model("text-embedding-3-large").build()).apply("a"))
                .isNotEqualTo(key);
        assertThat(keys(base("a").apiBase("http://localhost:11434/v1").build()).apply("a"))
                .isNotEqualTo(key);
        assertThat(keys(base("a").model("azure/text-embedding-3-small").build()).apply("a"))
                .isNotEqualTo(key);
        assertThat(keys(base("a")
                                .model("azure/text-embedding-3-small")
                                .apiVersion("2025-01-01-preview")
                                .build())
                        .apply("a"))
                .isNotEqualTo(
                        keys(base("a").model("azure/text-embedding-3-small").build())
                                .apply("a"));
        assertThat(keys(base("a").user("user-2").build()).apply("a")).isNotEqualTo(key);
        assertThat(keys(base("a").encodingFormat("float").build()).apply("a")).isNotEqualTo(key);
    }

    @Test
    void optionsThatAreNotSentDoNotChangeAnItemsKey() {
        String key = keys(base("a").build()).apply("a");

        assertThat(keys(base("a")
                                .apiKey("sk-other")
                                .metadata(Map.of("trace", "t"))
                                .timeout(Duration.ofSeconds(2))
                                .build())
                        .apply("a"))
                .isEqualTo(key);
    }

    @Test
    void aTextWithAnUnpairedSurrogateNeverSharesAKeyWithAnotherText() {
        Function<String, String> keys = keys(base("a").build());

        assertThat(keys.apply("x\uD800"))
                .as("String.getBytes writes '?' for an unpaired surrogate")
                .isNotEqualTo(keys.apply("x?"))
                .isNotEqualTo(keys.apply("x\uDBFF"))
                .isNotEqualTo(keys.apply("x\uFFFD"))
                .isNotEqualTo(keys.apply("x"));
        assertThat(keys.apply("\uDE00\uD83D")).isNotEqualTo(keys.apply("\uD83D\uDE00"));
        assertThat(keys.apply("x\uD83D\uDE00")).isNotEqualTo(keys.apply("x?"));
    }

    @Test
    void anItemsKeyDiffersFromTheKeyOfAWholeRequest() {
        EmbeddingRequest request = base("a").build();

        assertThat(keys(request).apply("a")).isNotEqualTo(this.generator.generateKey(CallType.EMBEDDING, request));
    }

    private Function<List<Integer>, String> tokenKeys(EmbeddingRequest request) {
        return this.generator.tokenItemKeys(CallType.EMBEDDING, request);
    }

    private static EmbeddingRequest tokens(List<List<Integer>> tokens) {
        return base("unused").inputTokens(tokens).build();
    }

    @Test
    void theSameTokenArrayGetsTheSameKeyAndOtherArraysOtherKeys() {
        Function<List<Integer>, String> first = tokenKeys(tokens(List.of(List.of(1, 2), List.of(258))));
        Function<List<Integer>, String> again = tokenKeys(tokens(List.of(List.of(1, 2))));

        assertThat(first.apply(List.of(1, 2))).matches("[0-9a-f]{64}").isEqualTo(again.apply(List.of(1, 2)));
        assertThat(first.apply(List.of(258)))
                .as("each token takes a fixed width")
                .isNotEqualTo(first.apply(List.of(1, 2)))
                .isNotEqualTo(first.apply(List.of(0, 1, 2)))
                .isNotEqualTo(first.apply(List.of(1, 2, 0)));
    }

    @Test
    void aTokenArrayNeverSharesAKeyWithAText() {
        Function<String, String> texts = keys(base("[1,2,3]", "abcd").build());
        Function<List<Integer>, String> tokenArrays = tokenKeys(tokens(List.of(List.of(1, 2, 3))));

        assertThat(tokenArrays.apply(List.of(1, 2, 3)))
                .isNotEqualTo(texts.apply("[1,2,3]"))
                .isNotEqualTo(texts.apply("[1, 2, 3]"));
        assertThat(tokenArrays.apply(List.of(0x61626364)))
                .as("the same bytes as the text abcd")
                .isNotEqualTo(texts.apply("abcd"));
    }

    @Test
    void changingASharedParameterChangesATokenArraysKey() {
        String key = tokenKeys(tokens(List.of(List.of(1)))).apply(List.of(1));

        assertThat(tokenKeys(base("unused")
                                .dimensions(512)
                                .inputTokens(List.of(List.of(1)))
                                .build())
                        .apply(List.of(1)))
                .isNotEqualTo(key);
    }

    @Test
    void textItemKeysAreThoseOfEarlierVersions() {
        assertThat(keys(base("a").build()).apply("a"))
                .as("entries stored before token input existed stay valid")
                .isEqualTo(TEXT_ITEM_KEY_OF_A);
    }

    @Test
    void aCustomGeneratorKeysATokenArrayAsTheRequestWithThatArrayAlone() {
        CacheKeyGenerator custom = (callType, request) -> callType + " "
                + request.params().get("dimensions") + " " + request.params().get("input");

        String key = custom.tokenItemKeys(CallType.AEMBEDDING, tokens(List.of(List.of(1, 2), List.of(3))))
                .apply(List.of(3));

        assertThat(key).isEqualTo("AEMBEDDING 256 [[3]]");
    }
}
