package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.litellmcache.cache.CacheOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The input of an {@link EmbeddingRequest}: texts or token arrays, read back through its accessors. */
class EmbeddingRequestInputTests {

    private static EmbeddingRequest.Builder builder() {
        return EmbeddingRequest.builder().model("text-embedding-3-small");
    }

    @Test
    void tokenArraysAreSentAsTheInputParamAndReadBackAsTokenArraysOnly() {
        EmbeddingRequest request =
                builder().inputTokens(List.of(List.of(1, 2), List.of(3))).build();

        assertThat(request.params()).containsEntry("input", List.of(List.of(1, 2), List.of(3)));
        assertThat(request.inputTokens()).containsExactly(List.of(1, 2), List.of(3));
        assertThat(request.input()).isEmpty();
        assertThat(request.hasPlainParams()).isTrue();
    }

    @Test
    void textsAreReadBackAsTextsOnly() {
        EmbeddingRequest request = builder().input(List.of("a", "b")).build();

        assertThat(request.input()).containsExactly("a", "b");
        assertThat(request.inputTokens()).isEmpty();
    }

    @Test
    void theInputSetLastWins() {
        assertThat(builder().input("a").inputTokens(List.of(List.of(1))).build().input())
                .isEmpty();
        assertThat(builder().inputTokens(List.of(List.of(1))).input("a").build().inputTokens())
                .isEmpty();
    }

    @Test
    void aFlatTokenArrayParamReadsAsOneTokenArrayAndIsSentAsGiven() {
        EmbeddingRequest flat = builder().param("input", List.of(1, 2)).build();

        assertThat(flat.inputTokens()).containsExactly(List.of(1, 2));
        assertThat(flat.input()).isEmpty();
        assertThat(flat.params()).containsEntry("input", List.of(1, 2));
    }

    @Test
    void anInputParamThatIsNeitherTextsNorTokenArraysReadsAsNeither() {
        EmbeddingRequest mixed =
                builder().param("input", List.of("a", List.of(1))).build();

        assertThat(mixed.input()).isEmpty();
        assertThat(mixed.inputTokens()).isEmpty();
    }

    @Test
    void tokenArraysChangedAfterBuildingLeaveTheRequestAsItWas() {
        List<Integer> tokens = new ArrayList<>(List.of(1, 2));
        EmbeddingRequest request = builder().inputTokens(List.of(tokens)).build();

        tokens.add(3);

        assertThat(request.inputTokens()).containsExactly(List.of(1, 2));
        assertThatThrownBy(() -> request.inputTokens().get(0).add(4)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void withInputTokensKeepsTheParametersAndOptions() {
        CacheOptions cache = CacheOptions.builder().ttl(Duration.ofMinutes(1)).build();
        EmbeddingRequest request = builder()
                .input("a")
                .dimensions(8)
                .cache(cache)
                .metadata(Map.of("team", "x"))
                .build()
                .withInputTokens(List.of(List.of(7)));

        assertThat(request.inputTokens()).containsExactly(List.of(7));
        assertThat(request.params()).containsEntry("dimensions", 8);
        assertThat(request.cache()).isEqualTo(cache);
        assertThat(request.metadata()).containsEntry("team", "x");
    }

    @Test
    void invalidTokenArraysAreRefusedNamingTheFieldAndTheFix() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder().inputTokens(null))
                .withMessageContaining("inputTokens must not be null")
                .withMessageContaining("List.of(List.of(1, 2))");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder().inputTokens(Arrays.asList(List.of(1), null)))
                .withMessageContaining("inputTokens[1] must not be null nor empty");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder().inputTokens(List.of(List.of())))
                .withMessageContaining("inputTokens[0] must not be null nor empty");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder().inputTokens(List.of(Arrays.asList(1, null))))
                .withMessageContaining("inputTokens[0] must hold only non-negative token ids");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder().inputTokens(List.of(List.of(1), List.of(2, -1))))
                .withMessageContaining("inputTokens[1] must hold only non-negative token ids");
    }

    @Test
    void noTokenArrayAtAllIsRefusedWhenBuilt() {
        EmbeddingRequest.Builder builder = builder().inputTokens(List.of());

        assertThatIllegalArgumentException()
                .isThrownBy(builder::build)
                .withMessageContaining("input must not be empty")
                .withMessageContaining("inputTokens(");
    }
}
