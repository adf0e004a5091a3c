package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.CountingCompletionService;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * A call waiting for the instance that holds its key's fleet lease asks again at each poll, once a second, for as long
 * as that instance's call lasts (an hour is 3,600 polls when the request timeout allows it): however many polls it
 * takes, the call then gets its answer, reactive or blocking, and waits in constant stack and memory.
 */
class FleetWaitOfManyPollsTests extends AbstractCachedApplicationTests {

    private static final int POLLS = 3_600;

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withUserConfiguration(LeaseHeldForManyPolls.class);

    @Test
    void aReactiveCallGetsItsAnswerAfterWaitingManyPollsForAnotherInstance() throws Exception {
        this.contextRunner.run(context -> {
            ChatCompletion answer = context.getBean(CompletionService.class)
                    .acompletion(question("what did the board decide?"))
                    .toFuture()
                    .get(30, TimeUnit.SECONDS);
            assertThat(answer.content()).isEqualTo("answer 1");
            assertThat(context.getBean(LeaseHeldForManyPolls.class).polls.get()).isEqualTo(POLLS);
        });
    }

    @Test
    void aBlockingCallGetsItsAnswerAfterWaitingManyPollsForAnotherInstance() {
        this.contextRunner.run(context -> {
            ChatCompletion answer =
                    context.getBean(CompletionService.class).completion(question("what did the board decide?"));
            assertThat(answer.content()).isEqualTo("answer 1");
            assertThat(context.getBean(LeaseHeldForManyPolls.class).polls.get()).isEqualTo(POLLS);
        });
    }

    /**
     * A backend whose fleet lease another instance holds for {@link #POLLS} polls, each ended at once (on a timer
     * thread, as Redis's are) without news of that instance's end, then lets go of without storing an answer.
     */
    @Configuration(proxyBeanMethods = false)
    static class LeaseHeldForManyPolls implements FleetLeases {

        final AtomicInteger polls = new AtomicInteger();

        @Bean
        CacheBackend leaseHeldForManyPollsBackend() {
            return new LocalBackedBackend("leased") {

                @Override
                public FleetLeases fleetLeases() {
                    return LeaseHeldForManyPolls.this;
                }
            };
        }

        @Bean
        CompletionService countingCompletionService() {
            return new CountingCompletionService();
        }

        @Override
        public Mono<Optional<Lease>> lead(CacheKey key) {
            if (this.polls.get() < POLLS) {
                return Mono.just(Optional.empty());
            }
            return Mono.just(Optional.of(new IdleLease()));
        }

        @Override
        public Mono<Boolean> ended(CacheKey key, Duration within) {
            this.polls.incrementAndGet();
            return Mono.delay(Duration.ZERO).thenReturn(false);
        }

        @Override
        public Duration pollInterval() {
            return Duration.ofSeconds(1);
        }
    }
}
