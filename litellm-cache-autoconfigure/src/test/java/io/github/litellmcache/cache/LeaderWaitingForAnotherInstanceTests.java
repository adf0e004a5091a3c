package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.CountingCompletionService;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A reactive call that leads its key in this instance while another instance holds the key's fleet lease waits for
 * that instance at most its own timeout, then makes its own call and gets that call's answer, as a blocking one does:
 * its timeout bounds the wait and the provider call each, never its wait for its own call.
 */
class LeaderWaitingForAnotherInstanceTests extends AbstractCachedApplicationTests {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withUserConfiguration(LeaseHeldElsewhere.class);

    @Test
    void aReactiveLeaderGetsTheAnswerOfTheCallItMakesOnceItsTimeoutHasPassed() throws Exception {
        this.contextRunner.run(context -> {
            LeaseHeldElsewhere fleet = context.getBean(LeaseHeldElsewhere.class);
            CompletableFuture<ChatCompletion> leader = context.getBean(CompletionService.class)
                    .acompletion(question("what did the board decide?", builder -> builder.timeout(TIMEOUT)))
                    .toFuture();
            assertThat(fleet.asked.await(10, TimeUnit.SECONDS))
                    .as("the leader waits for the instance holding the lease")
                    .isTrue();
            assertThat(fleet.called.await(10, TimeUnit.SECONDS))
                    .as("past its timeout, the leader calls the provider")
                    .isTrue();
            Mono.delay(TIMEOUT).block(); // the leader's own timeout has surely passed before its call answers
            fleet.answer.countDown();

            ChatCompletion answer = leader.get(10, TimeUnit.SECONDS);
            assertThat(answer.cacheHit()).isFalse();
            assertThat(answer.content()).isEqualTo("answer 1");
        });
    }

    /**
     * A backend whose fleet lease another instance always holds, without ever telling that it ended, and a provider
     * that answers once the test lets it.
     */
    @Configuration(proxyBeanMethods = false)
    static class LeaseHeldElsewhere implements FleetLeases {

        final CountDownLatch asked = new CountDownLatch(1);

        final CountDownLatch called = new CountDownLatch(1);

        final CountDownLatch answer = new CountDownLatch(1);

        @Bean
        CacheBackend leaseHeldElsewhereBackend() {
            return new LocalBackedBackend("leased") {

                @Override
                public FleetLeases fleetLeases() {
                    return LeaseHeldElsewhere.this;
                }
            };
        }

        @Bean
        CompletionService answeringWhenLetCompletionService() {
            return new CountingCompletionService() {
                @Override
                public Mono<ChatCompletion> acompletion(ChatCompletionRequest request) {
                    return Mono.fromRunnable(LeaseHeldElsewhere.this.called::countDown)
                            .then(Mono.fromCallable(() -> LeaseHeldElsewhere.this.answer.await(10, TimeUnit.SECONDS))
                                    .subscribeOn(Schedulers.boundedElastic()))
                            .then(super.acompletion(request));
                }
            };
        }

        @Override
        public Mono<Optional<Lease>> lead(CacheKey key) {
            return Mono.just(Optional.empty());
        }

        @Override
        public Mono<Boolean> ended(CacheKey key, Duration within) {
            this.asked.countDown();
            return Mono.delay(within).thenReturn(false);
        }

        @Override
        public Duration pollInterval() {
            return Duration.ofSeconds(10);
        }
    }
}
