package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.CountingCompletionService;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A fleet lease that a call took is released however the call ends: a lease left held is renewed for as long as the
 * instance lives, and every other instance's identical call waits for it.
 */
class FleetLeaseReleasedTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withUserConfiguration(OnALeasingBackend.class);

    @Test
    void aBlockingLeaderInterruptedOnceItHoldsTheLeaseReleasesIt() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LeasingBackend backend = context.getBean(OnALeasingBackend.class).backend;
            CompletableFuture<@Nullable Throwable> ended = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    service.completion(question("what did the board decide?"));
                    ended.complete(null);
                } catch (Throwable error) {
                    ended.complete(error);
                }
            });
            caller.start();

            assertThat(ended.get(10, TimeUnit.SECONDS))
                    .as("the interrupted call ends with its interrupt")
                    .isNotNull();
            assertThat(backend.held.get()).isEqualTo(1);
            assertThat(backend.released.get())
                    .as("the lease its call held, released")
                    .isEqualTo(1);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OnALeasingBackend {

        final LeasingBackend backend = new LeasingBackend();

        @Bean
        CacheBackend leasingCacheBackend() {
            return this.backend;
        }

        @Bean
        CompletionService countingCompletionService() {
            return new CountingCompletionService();
        }
    }

    /**
     * A remote backend (entries in memory, each read answered on a worker thread) whose fleet leases are always
     * granted; holding one interrupts the thread that holds it, as an executor's {@code cancel(true)} at that moment
     * would, and makes later reads wait until their caller gives up.
     */
    static final class LeasingBackend extends LocalBackedBackend implements FleetLeases {

        final AtomicInteger held = new AtomicInteger();

        final AtomicInteger released = new AtomicInteger();

        private volatile boolean readsWait;

        LeasingBackend() {
            super("leasing", false);
        }

        @Override
        public Mono<CacheEntry> getAsync(CacheKey key) {
            return this.readsWait
                    ? Mono.never()
                    : Mono.fromSupplier(() -> this.local.get(key)).subscribeOn(Schedulers.boundedElastic());
        }

        @Override
        public FleetLeases fleetLeases() {
            return this;
        }

        @Override
        public Mono<Optional<Lease>> lead(CacheKey key) {
            return Mono.just(Optional.of(new Lease() {

                @Override
                public void hold() {
                    LeasingBackend.this.held.incrementAndGet();
                    LeasingBackend.this.readsWait = true;
                    Thread.currentThread().interrupt();
                }

                @Override
                public void release() {
                    LeasingBackend.this.released.incrementAndGet();
                }
            }));
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
