package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.CountingCompletionService;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

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

    /**
     * A provider that counts the calls that reached it and answers each once the test lets it; a blocking call
     * interrupted meanwhile fails, as an HTTP client's would.
     */
    @Configuration(proxyBeanMethods = false)
    static class AnsweringWhenLet {

        final AtomicInteger entered = new AtomicInteger();

        final CountDownLatch answer = new CountDownLatch(1);

        void awaitEntered(int calls) {
            await().atMost(Duration.ofSeconds(10)).until(() -> this.entered.get() == calls);
        }

        @Bean
        CompletionService answeringWhenLetCompletionService() {
            return new CountingCompletionService() {
                @Override
                public ChatCompletion completion(ChatCompletionRequest request) {
                    AnsweringWhenLet.this.entered.incrementAndGet();
                    try {
                        AnsweringWhenLet.this.answer.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", ex);
                    }
                    return super.completion(request);
                }

                @Override
                public Mono<ChatCompletion> acompletion(ChatCompletionRequest request) {
                    return Mono.fromCallable(() -> completion(request)).subscribeOn(Schedulers.boundedElastic());
                }
            };
        }
    }
}
