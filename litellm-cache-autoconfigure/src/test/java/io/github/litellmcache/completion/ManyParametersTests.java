package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A client that forwards a caller's unknown JSON fields as parameters (as the sample's endpoint
 * does, up to its 4 MB body) builds requests of very many parameters. That one costs time in
 * proportion to their number, not to its square, is measured by {@code ManyParametersBenchmark}.
 */
class ManyParametersTests {

    private static final int PARAMETERS = 120_000;

    @Test
    void aRequestOfOneHundredTwentyThousandParametersKeepsEachInTheOrderSet() {
        ChatCompletionRequest.Builder builder =
                ChatCompletionRequest.builder().model("gpt-4o-mini").message(ChatMessage.user("hi"));
        for (int i = 0; i < PARAMETERS; i++) {
            builder.param("field_" + i, i);
        }
        ChatCompletionRequest request = builder.build();

        assertThat(request.params()).hasSize(PARAMETERS + 2);
        assertThat(request.params().keySet())
                .startsWith("model", "field_0", "field_1")
                .endsWith("field_119998", "field_119999", "messages");
        assertThat(request.params()).containsEntry("field_65536", 65_536);
    }

    @Test
    void amongManyParametersOneSetAgainKeepsItsPlaceAndOneRemovedLeavesTheOthersFoundByName() {
        Params.Builder builder = new Params.Builder();
        for (int i = 0; i < 40; i++) {
            builder.put("p" + i, i);
        }
        builder.put("p3", "again");
        builder.put("p5", null);
        builder.put("p40", 40);
        builder.put("p5", "back");

        Params params = builder.build(true);
        assertThat(params.get("p3")).isEqualTo("again");
        assertThat(params.get("p39")).isEqualTo(39);
        assertThat(builder.get("p40")).isEqualTo(40);
        assertThat(params.keySet())
                .startsWith("p0", "p1", "p2", "p3", "p4", "p6")
                .endsWith("p39", "p40", "p5");
        assertThat(params).hasSize(41);
    }
}
