package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.ProviderEndpoint;
import io.github.litellmcache.completion.ProviderRouter;
import io.github.litellmcache.completion.WireFormat;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The default key is the digest of a canonical form of what is sent: two requests sent apart must
 * get two keys, and two forms of one number or one set must get one.
 */
class DefaultCacheKeyCanonicalFormTests {

    private final DefaultCacheKeyGenerator generator = new DefaultCacheKeyGenerator(new ProviderRouter(
            new ProviderEndpoint("https://api.openai.com/v1", "sk-configured", null),
            new ProviderEndpoint("https://example.openai.azure.com", "azure-key", "2024-10-21")));

    @Disabled(
            "finding: ORDER_MAP_ENTRIES_BY_KEYS copies a map into a TreeMap, which merges keys that compareTo calls equal (BigDecimal 1.0 and 1.00) though both are sent")
    @Test
    void mapsWhoseKeysCompareEqualButAreSentApartGetDifferentKeys() {
        Map<Object, Object> twoEntries = new LinkedHashMap<>();
        twoEntries.put(new BigDecimal("1.0"), "first");
        twoEntries.put(new BigDecimal("1.00"), "second");
        Map<Object, Object> oneEntry = Map.of(new BigDecimal("1.0"), "second");
        assertThat(WireFormat.jsonMapper().writeValueAsString(twoEntries))
                .as("what the provider is sent")
                .isNotEqualTo(WireFormat.jsonMapper().writeValueAsString(oneEntry));

        assertThat(key("metadata_filter", twoEntries)).isNotEqualTo(key("metadata_filter", oneEntry));
    }

    static Stream<Arguments> oneNumberTwoWays() {
        return Stream.of(Arguments.of(1, 1.0), Arguments.of(0.0, -0.0), Arguments.of(1.5, new BigDecimal("1.50")));
    }

    @Disabled(
            "finding: numbers are digested as Jackson writes them, so 1 and 1.0, 0.0 and -0.0, 1.5 and 1.50 get different keys")
    @ParameterizedTest(name = "{0} and {1}")
    @MethodSource("oneNumberTwoWays")
    void oneNumberWrittenTwoWaysGetsOneKey(Number one, Number other) {
        assertThat(key("temperature", one)).isEqualTo(key("temperature", other));
    }

    @Disabled(
            "finding: a Set is digested in its iteration order (per-JVM random for Set.of), so equal sets get different keys")
    @Test
    void equalSetsGetOneKey() {
        assertThat(key("stop", new LinkedHashSet<>(List.of("\n", "END"))))
                .isEqualTo(key("stop", new LinkedHashSet<>(List.of("END", "\n"))));
    }

    private String key(String param, @Nullable Object value) {
        return this.generator.generateKey(
                CallType.COMPLETION,
                ChatCompletionRequest.builder()
                        .model("gpt-4o-mini")
                        .message(ChatMessage.user("capital of France?"))
                        .param(param, value)
                        .build());
    }
}
