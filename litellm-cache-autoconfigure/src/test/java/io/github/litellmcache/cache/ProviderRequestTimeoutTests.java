package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;

/** {@code litellm.request-timeout} bounds every provider call, and a hung call pins nobody behind it. */
class ProviderRequestTimeoutTests extends AbstractCachedApplicationTests {

    /** Far beyond what any assertion waits: to the caller, a provider that never answers. */
    private static final Duration HUNG = Duration.ofMinutes(5);

    private static final Duration BOUND = Duration.ofSeconds(20);

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withPropertyValues("litellm.request-timeout=500ms");

    @Test
    void aHungProviderFailsACompletionWithinTheRequestTimeout() {
        this.provider.latency(HUNG);
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            failsWithinTheTimeout(() -> service.completion(question("anyone there?")));
            failsWithinTheTimeout(() ->
                    service.acompletion(question("anyone there, reactively?")).block());
        });
    }

    @Test
    void aHungProviderFailsAStreamWithinTheRequestTimeout() {
        this.provider.latency(HUNG);
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            failsWithinTheTimeout(() ->
                    service.streamCompletion(question("anyone streaming?")).blockLast());
        });
    }

    @Test
    void anEmbeddingIsBoundedByTheRequestTimeoutToo() {
        this.provider.latency(HUNG);
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            failsWithinTheTimeout(() -> service.embedding("text-embedding-3-small", java.util.List.of("hello")));
        });
    }

    @Test
    void aLaterIdenticalCallIsNotStuckBehindAHungOne() {
        this.provider.latency(HUNG);
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            Mono<ChatCompletion> hung =
                    service.acompletion(question("the same question")).cache();
            hung.subscribe(answer -> {}, error -> {});
            assertTimeoutPreemptively(
                    BOUND, () -> assertThatExceptionOfType(LlmException.class).isThrownBy(hung::block));
            this.provider.latency(Duration.ZERO);
            ChatCompletion later =
                    assertTimeoutPreemptively(BOUND, () -> service.completion(question("the same question")));
            assertThat(later.cacheHit()).isFalse();
            assertThat(later.content()).contains("the same question");
        });
    }

    @Test
    void aRequestTimeoutOfTenYearsWaitsForTheProvider() {
        this.contextRunner
                .withPropertyValues("litellm.request-timeout=3650d")
                .run(context -> assertThat(context.getBean(CompletionService.class)
                                .completion(question("patient"))
                                .content())
                        .contains("patient"));
    }

    /** The call fails within {@link #BOUND}, saying that the provider did not answer within the request timeout. */
    private static void failsWithinTheTimeout(ThrowableAssert.ThrowingCallable call) {
        assertTimeoutPreemptively(
                BOUND,
                () -> assertThatExceptionOfType(LlmException.class)
                        .isThrownBy(call)
                        .withMessageContaining("did not answer within 500ms"));
    }
}
