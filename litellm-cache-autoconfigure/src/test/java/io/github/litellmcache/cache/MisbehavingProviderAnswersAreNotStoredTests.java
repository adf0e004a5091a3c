package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An error body that a provider (or a proxy) sends with status 200 fails the call with the provider's message, on
 * every call type, and stores nothing: the same call asks the provider again, whose answer is then stored. An answer
 * that names another model than the one asked for (a proxy that substitutes one) is kept as sent and stored under the
 * request that got it, never answering a request for the model it names.
 */
class MisbehavingProviderAnswersAreNotStoredTests extends AbstractCachedApplicationTests {

    private static final String ERROR = "{\"error\":{\"message\":\"Upstream overloaded\",\"type\":\"server_error\"}}";

    private final ApplicationContextRunner contextRunner = applicationRunner();

    @Test
    void anErrorBodySentWithStatus200FailsTheCallStoresNothingAndTheSameCallAsksAgain() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            EmbeddingRequest embedding = EmbeddingRequest.builder()
                    .model("text-embedding-3-small")
                    .input(List.of("a", "b"))
                    .build();
            this.provider.fail(200, ERROR);
            for (ThrowingCallable call : List.<ThrowingCallable>of(
                    () -> service.completion(question("q")),
                    () -> service.acompletion(question("q")).block(),
                    () -> service.streamCompletion(question("q")).blockLast(),
                    () -> service.embedding(embedding),
                    () -> service.aembedding(embedding).block())) {
                assertThatExceptionOfType(LlmException.class)
                        .isThrownBy(call)
                        .withMessage("openai answered with an error: Upstream overloaded");
            }
            this.provider.succeed();

            ChatCompletion fresh = service.completion(question("q"));
            assertThat(fresh.cacheHit()).isFalse();
            assertThat(service.completion(question("q")).cacheHit()).isTrue();
            assertThat(service.embedding(embedding).cacheHit()).isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(7);
        });
    }

    @Test
    void anAnswerNamingAnotherModelIsKeptAsSentAndServedOnlyToTheRequestThatGotIt() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            this.provider.answerCompletionsAsModel("gpt-3.5-turbo");

            ChatCompletion substituted = service.completion(question("q"));
            ChatCompletion again = service.completion(question("q"));
            ChatCompletion askedForIt = service.completion(question("q", builder -> builder.model("gpt-3.5-turbo")));

            assertThat(substituted.model()).isEqualTo("gpt-3.5-turbo");
            assertThat(again.cacheHit()).isTrue();
            assertThat(again.model()).isEqualTo("gpt-3.5-turbo");
            assertThat(again.id()).isEqualTo(substituted.id());
            assertThat(askedForIt.cacheHit()).isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }
}
