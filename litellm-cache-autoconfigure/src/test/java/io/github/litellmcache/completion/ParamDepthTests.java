package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.cache.DefaultCacheKeyGenerator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How deep a parameter's lists and maps may nest: as deep as Jackson writes a request and its key, no deeper. */
class ParamDepthTests {

    private static final String SECRET = "prompt text never quoted";

    private final DefaultCacheKeyGenerator keys = new DefaultCacheKeyGenerator(new ProviderRouter(
            new ProviderEndpoint("https://api.openai.com/v1", "sk-configured", null),
            new ProviderEndpoint("https://example.openai.azure.com", "azure-key", "2024-10-21")));

    @Test
    void aParamNestedToTheBoundIsKeyedAndSentWithinJacksonsLimits() {
        EmbeddingRequest request = EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .param("input", nested(PlainValues.MAX_DEPTH, SECRET))
                .build();
        ChatCompletionRequest notPlain = ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .message(ChatMessage.user("hi"))
                .param("extra", nested(PlainValues.MAX_DEPTH - 1, Map.of(1, "under a key that is not text")))
                .build();

        assertThat(notPlain.hasPlainParams()).isFalse();

        assertThat(this.keys.generateKey(CallType.EMBEDDING, request)).hasSize(64);
        assertThat(this.keys.generateKey(CallType.COMPLETION, notPlain)).hasSize(64);
    }

    @Test
    void aParamNestedPastTheBoundIsRefusedNamingItAndTheBoundButNotItsValue() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EmbeddingRequest.builder().param("input", nested(PlainValues.MAX_DEPTH + 1, SECRET)))
                .withMessageContaining("input")
                .withMessageContaining(String.valueOf(PlainValues.MAX_DEPTH))
                .withMessageNotContaining(SECRET);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ChatCompletionRequest.builder()
                        .param("response_format", Map.of("schema", nested(PlainValues.MAX_DEPTH, SECRET))))
                .withMessageContaining("response_format");
    }

    @Test
    void aParamNestedTwentyThousandLevelsIsRefusedWithoutExhaustingTheStack() {
        Object deep = nested(20_000, SECRET);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> EmbeddingRequest.builder().param("input", deep))
                .withMessageContaining("input")
                .withMessageNotContaining(SECRET);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ChatMessage.multiPart("user", List.of(Map.of("type", "text", "text", deep))))
                .withMessageContaining("message content");
    }

    /** {@code leaf} inside {@code depth} lists. */
    private static Object nested(int depth, Object leaf) {
        Object value = leaf;
        for (int i = 0; i < depth; i++) {
            value = List.of(value);
        }
        return value;
    }
}
