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
    void anItemsKeyDiffersFromTheKeyOfAWholeRequest() {
        EmbeddingRequest request = base("a").build();

        assertThat(keys(request).apply("a")).isNotEqualTo(this.generator.generateKey(CallType.EMBEDDING, request));
    }
}
