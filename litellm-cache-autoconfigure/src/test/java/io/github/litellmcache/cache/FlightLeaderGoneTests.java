package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.AnsweringWhenLet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.Disposable;

/**
 * A caller waiting for the identical call in flight is never left waiting when that call's own caller goes: a reactive
 * leader that cancels still obtains the answer for it, and a blocking leader whose thread is interrupted in its
 * provider call sends it on its own.
 */
class FlightLeaderGoneTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withUserConfiguration(AnsweringWhenLet.class);

    private final ChatCompletionRequest request = question("what did the board decide?");

    @Test
    void aReactiveLeaderThatCancelsStillAnswersTheCallerWaitingForIt() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            AnsweringWhenLet provider = context.getBean(AnsweringWhenLet.class);
            Disposable leader = service.acompletion(this.request).subscribe();
            provider.awaitEntered(1);
            CompletableFuture<ChatCompletion> follower =
                    service.acompletion(this.request).toFuture();

            leader.dispose();
            provider.answer.countDown();

            ChatCompletion answer = follower.get(10, TimeUnit.SECONDS);
            assertThat(answer.cacheHit()).as("the cancelled leader's answer").isTrue();
            assertThat(provider.entered.get()).isEqualTo(1);
        });
    }

    @Test
    void aBlockingLeaderInterruptedInItsProviderCallSendsTheCallerWaitingForItOnItsOwn() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            AnsweringWhenLet provider = context.getBean(AnsweringWhenLet.class);
            CompletableFuture<Throwable> leaderEnded = new CompletableFuture<>();
            Thread leader = new Thread(() -> {
                try {
                    service.completion(this.request);
                    leaderEnded.complete(null);
                } catch (Throwable error) {
                    leaderEnded.complete(error);
                }
            });
            leader.start();
            provider.awaitEntered(1);
            CompletableFuture<ChatCompletion> follower =
                    service.acompletion(this.request).toFuture();

            leader.interrupt();
            assertThat(leaderEnded.get(10, TimeUnit.SECONDS)).isNotNull();
            provider.awaitEntered(2);
            provider.answer.countDown();

            ChatCompletion answer = follower.get(10, TimeUnit.SECONDS);
            assertThat(answer.cacheHit()).as("its own call's answer").isFalse();
        });
    }
}
