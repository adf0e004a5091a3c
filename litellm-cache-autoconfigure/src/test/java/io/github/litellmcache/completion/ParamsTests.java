package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsTests {

    @Test
    void keepsTheOrderParametersWereFirstSetInAndRemovesThoseSetToNull() {
        Params.Builder builder = new Params.Builder();
        builder.put("model", "gpt-4o-mini");
        builder.put("temperature", 0.2);
        builder.put("seed", 7L);
        builder.put("model", "gpt-4o");
        builder.put("temperature", null);
        builder.put("absent", null);

        Params params = builder.build(true);

        assertThat(params).containsExactly(Map.entry("model", "gpt-4o"), Map.entry("seed", 7L));
        assertThat(params.get("temperature")).isNull();
        assertThat(params.containsKey("seed")).isTrue();
        assertThat(params.containsKey("absent")).isFalse();
    }

    @Test
    void isEqualToAnyMapOfTheSameParametersWithTheSameHashCodeWhateverTheOrder() {
        Params params = params("model", "gpt-4o-mini", "messages", List.of(ChatMessage.user("hi")), "n", 2);
        Params reordered = params("n", 2, "model", "gpt-4o-mini", "messages", List.of(ChatMessage.user("hi")));
        Map<String, Object> linked = new LinkedHashMap<>(params);

        assertThat(params).isEqualTo(reordered).isEqualTo(linked).hasSameHashCodeAs(linked);
        assertThat(reordered).hasSameHashCodeAs(linked);
        assertThat(linked).isEqualTo(params);
    }

    @Test
    void differsFromParametersWithAnyOtherValue() {
        Params params = params("model", "gpt-4o-mini", "messages", List.of(ChatMessage.user("hi")));

        assertThat(params)
                .isNotEqualTo(params("model", "gpt-4o-mini", "messages", List.of(ChatMessage.user("hello"))))
                .isNotEqualTo(params("messages", List.of(ChatMessage.user("hello")), "model", "gpt-4o-mini"))
                .isNotEqualTo(params("model", "gpt-4o-mini"))
                .isNotEqualTo(params("model", "gpt-4o-mini", "prompt", List.of(ChatMessage.user("hi"))));
    }

    @Test
    void isUnmodifiable() {
        Params params = params("model", "gpt-4o-mini");

        assertThatThrownBy(() -> params.put("model", "other")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> params.remove("model")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> params.entrySet().iterator().next().setValue("other"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aBuilderChangedAfterBuildingLeavesWhatItBuiltAsItWas() {
        Params.Builder builder = new Params.Builder();
        builder.put("model", "gpt-4o-mini");
        builder.put("seed", 1L);
        Params first = builder.build(true);
        int hash = first.hashCode();

        builder.put("seed", 2L);
        builder.put("model", null);
        for (int i = 0; i < 20; i++) {
            builder.put("p" + i, i);
        }
        Params second = builder.build(true);

        assertThat(first).containsExactly(Map.entry("model", "gpt-4o-mini"), Map.entry("seed", 1L));
        assertThat(first.hashCode()).isEqualTo(hash);
        assertThat(second).hasSize(21).containsEntry("seed", 2L).containsEntry("p19", 19);
        assertThat(second.keySet().iterator().next()).isEqualTo("seed");
    }

    private static Params params(Object... namesAndValues) {
        Params.Builder builder = new Params.Builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build(true);
    }
}
