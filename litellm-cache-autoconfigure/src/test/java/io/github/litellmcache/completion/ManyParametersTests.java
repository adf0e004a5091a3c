package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * A client that forwards a caller's unknown JSON fields as parameters (as the sample's endpoint
 * does, up to its 4 MB body) must not let one request cost time quadratic in its number of fields.
 * The bound is two orders of magnitude above a linear build, so that it fails only on a quadratic one.
 */
class ManyParametersTests {

    private static final int PARAMETERS = 120_000;

    @Disabled("finding: Params.Builder.put finds a parameter by a linear scan of those set before, so building n"
            + " parameters costs n^2/2 string comparisons (80,000 take about 15 s)")
    @Test
    void aRequestOfOneHundredTwentyThousandParametersIsBuiltWithinTenSeconds() {
        ChatCompletionRequest request = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            ChatCompletionRequest.Builder builder =
                    ChatCompletionRequest.builder().model("gpt-4o-mini").message(ChatMessage.user("hi"));
            for (int i = 0; i < PARAMETERS; i++) {
                builder.param("field_" + i, i);
            }
            return builder.build();
        });

        assertThat(request.params()).hasSize(PARAMETERS + 2);
    }
}
