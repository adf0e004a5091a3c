package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.Usage;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.CountingCompletionService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * A call that leads its key in this instance, with fleet single flight, and whose read after taking the lease, or
 * after the instance holding it has ended, fails: it calls the provider and answers with that, but stores nothing, as
 * after a failed first read. It could not see the entry it would replace: the holder's answer stays.
 */
class FleetCallAfterAFailedReadStoresNothingTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withUserConfiguration(SecondReadFails.class);

    @Test
    void aCallWhoseReadOfTheHoldersEntryFailedLeavesThatEntry() {
        this.contextRunner.withUserConfiguration(LeaseHeldElsewhere.class).run(context -> {
            SecondReadFails backend = context.getBean(SecondReadFails.class);

            ChatCompletion answer = context.getBean(CompletionService.class).completion(question("a question"));

            assertThat(answer.cacheHit()).isFalse();
            assertThat(answer.content()).isEqualTo("answer 1");
            assertThat(backend.stored().id()).isEqualTo("the holder's");
        });
    }

    @Test
    void aCallHoldingTheLeaseWhoseReadFailedStoresNothing() {
        this.contextRunner.withUserConfiguration(LeaseTakenHere.class).run(context -> {
            SecondReadFails backend = context.getBean(SecondReadFails.class);

            ChatCompletion answer = context.getBean(CompletionService.class).completion(question("a question"));

            assertThat(answer.content()).isEqualTo("answer 1");
            assertThat(backend.stored().id()).isEqualTo("the holder's");
        });
    }

    /**
     * A backend with the fleet leases of the test, whose second read (the first is the call's own, a miss) fails just
     * as another instance's answer is stored.
     */
    @Configuration(proxyBeanMethods = false)
    static class SecondReadFails {

        private final AtomicInteger reads = new AtomicInteger();

        private volatile @Nullable CacheKey key;

        private @Nullable LocalBackedBackend backend;

        @Bean
        CacheBackend secondReadFailsBackend(FleetLeases leases) {
            this.backend = new LocalBackedBackend("second read fails") {

                @Override
                public @Nullable CacheEntry get(CacheKey key) {
                    SecondReadFails.this.key = key;
                    if (SecondReadFails.this.reads.incrementAndGet() == 2) {
                        this.local.put(key, holders(), null);
                        throw new IllegalStateException("the read of the holder's entry failed");
                    }
                    return super.get(key);
                }

                @Override
                public FleetLeases fleetLeases() {
                    return leases;
                }
            };
            return this.backend;
        }

        @Bean
        CompletionService countingCompletionService() {
            return new CountingCompletionService();
        }

        /** The completion stored under the call's key. */
        ChatCompletion stored() {
            return (ChatCompletion) this.backend.get(this.key).response();
        }

        private static CacheEntry holders() {
            return new CacheEntry(
                    new ChatCompletion(
                            "the holder's",
                            1L,
                            "gpt-4o-mini",
                            List.of(new ChatCompletion.Choice(0, ChatMessage.assistant("the holder's answer"), "stop")),
                            new Usage(1, 1, 2),
                            null),
                    Instant.now());
        }
    }

    /** Leases another instance holds, and ends at once. */
    @Configuration(proxyBeanMethods = false)
    static class LeaseHeldElsewhere {

        @Bean
        FleetLeases leaseHeldElsewhere() {
            return new AlwaysEnded(Optional.empty());
        }
    }

    /** Leases this instance always takes. */
    @Configuration(proxyBeanMethods = false)
    static class LeaseTakenHere {

        @Bean
        FleetLeases leaseTakenHere() {
            return new AlwaysEnded(Optional.of(new IdleLease()));
        }
    }

    /** Leases that {@code lead} gives, and whose holder has always ended. */
    private record AlwaysEnded(Optional<FleetLeases.Lease> lead) implements FleetLeases {

        @Override
        public Mono<Optional<Lease>> lead(CacheKey key) {
            return Mono.just(this.lead);
        }

        @Override
        public Mono<Boolean> ended(CacheKey key, Duration within) {
            return Mono.just(true);
        }

        @Override
        public Duration pollInterval() {
            return Duration.ofSeconds(10);
        }
    }
}
