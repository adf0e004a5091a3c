package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A provider stream that ends oddly stores nothing: one asked for its usage that ends without it, and one whose choice
 * never got its finish reason (though it sent {@code [DONE]}), is passed on as received; one with an event that is no chunk ({@code data: {}}) fails with an error that names the problem.
 */
class CutOrMalformedStreamsAreNotStoredTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner = applicationRunner();

    @Test
    void aStreamAskedForItsUsageThatEndsWithoutItIsPassedOnButNotStored() {
        this.contextRunner
                .withUserConfiguration(CallsExpectingUsageTests.KeyWithoutStreamOptions.class)
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    this.provider.cutNextStreamBeforeItsUsage();

                    List<ChatCompletionChunk> cut = service.streamCompletion(question(
                                    "q", builder -> builder.param("stream_options", Map.of("include_usage", true))))
                            .collectList()
                            .block();

                    assertThat(text(cut)).isEqualTo("answer 1 to q");
                    assertThat(cut)
                            .allSatisfy(chunk -> assertThat(chunk.usage()).isNull());
                    List<ChatCompletionChunk> next = service.streamCompletion(question("q"))
                            .collectList()
                            .block();
                    assertThat(next)
                            .allSatisfy(chunk -> assertThat(chunk.cacheHit()).isFalse());
                    assertThat(text(next)).isEqualTo("answer 2 to q");
                    assertThat(this.provider.requestCount()).isEqualTo(2);
                });
    }

    @Test
    void aStreamWhoseChoiceNeverGotItsFinishReasonIsPassedOnButNotStored() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            this.provider.streamNextWithoutFinishReason();

            List<ChatCompletionChunk> unfinished =
                    service.streamCompletion(question("q")).collectList().block();

            assertThat(text(unfinished)).isEqualTo("answer 1 to q");
            assertThat(unfinished)
                    .allSatisfy(chunk -> assertThat(chunk.choices())
                            .allSatisfy(
                                    choice -> assertThat(choice.finishReason()).isNull()));
            List<ChatCompletionChunk> next =
                    service.streamCompletion(question("q")).collectList().block();
            assertThat(next).allSatisfy(chunk -> assertThat(chunk.cacheHit()).isFalse());
            assertThat(text(next)).isEqualTo("answer 2 to q");
        });
    }

    @Test
    void anEventWithNeitherChoicesNorUsageFailsTheStreamAndNothingIsStored() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            this.provider.sendInNextStream("{}");

            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> service.streamCompletion(question("secret question"))
                            .blockLast())
                    .withMessageContaining("neither choices nor usage")
                    .withMessageNotContaining("secret");

            List<ChatCompletionChunk> next = service.streamCompletion(question("secret question"))
                    .collectList()
                    .block();
            assertThat(next).allSatisfy(chunk -> assertThat(chunk.cacheHit()).isFalse());
            assertThat(text(next)).isEqualTo("answer 2 to secret question");
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }
}
