package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.CountingCompletionService;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Until a read has found an entry, reads of a remote backend have the warm-up's deadline (5 s), as the first read of
 * an entry in a cold JVM may be slow; a fleet lease taken meanwhile answers quickly, and says nothing of it. The
 * quick start's second call, on a loaded machine, missed once its lease had made reads warm.
 */
class FirstEntryReadAfterAFleetLeaseHasTheWarmUpDeadlineTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withUserConfiguration(OnASlowFirstEntryBackend.class)
            .withPropertyValues("litellm.cache.timeout=50ms");

    @Test
    void theSecondOfTwoIdenticalCallsIsAHitThoughItsReadTakesLongerThanTheTimeout() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);

            assertThat(service.completion(question("the quick start")).cacheHit())
                    .isFalse();
            assertThat(service.completion(question("the quick start")).cacheHit())
                    .as("its read, of the first entry, within the warm-up's deadline")
                    .isTrue();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OnASlowFirstEntryBackend {

        @Bean
        CacheBackend slowFirstEntryBackend() {
            return new SlowFirstEntryBackend();
        }

        @Bean
        CompletionService countingCompletionService() {
            return new CountingCompletionService();
        }
    }

    /**
     * A remote backend (entries in memory) whose fleet leases are granted at once and whose reads that find an entry
     * take 300 ms, six times the timeout, well within the warm-up's deadline.
     */
    static final class SlowFirstEntryBackend extends LocalBackedBackend implements FleetLeases {

        SlowFirstEntryBackend() {
            super("slow-first-entry", false);
        }

        @Override
        public Mono<CacheEntry> getAsync(CacheKey key) {
            return Mono.fromSupplier(() -> this.local.get(key))
                    .delayUntil(found -> Mono.delay(Duration.ofMillis(300)))
                    .subscribeOn(Schedulers.boundedElastic());
        }

        @Override
        public FleetLeases fleetLeases() {
            return this;
        }

        @Override
        public Mono<Optional<Lease>> lead(CacheKey key) {
            return Mono.just(Optional.of(new IdleLease()));
        }

        @Override
        public Mono<Boolean> ended(CacheKey key, Duration within) {
            return Mono.just(true);
        }

        @Override
        public Duration pollInterval() {
            return Duration.ofSeconds(1);
        }
    }
}
