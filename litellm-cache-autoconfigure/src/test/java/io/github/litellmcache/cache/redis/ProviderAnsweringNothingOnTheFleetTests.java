package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.CountingCompletionService;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A provider that answers an empty {@code Mono} (no value, no error), with fleet single flight on Redis: the call that
 * takes the key's lease asks it once, as without the fleet, and fails with the cache's "answered nothing"; an
 * identical call waiting for it asks once more, as the followers of any leader whose call failed do (only successes
 * are shared, and a leader's failure may be its own), so a wave of identical calls asks it at most twice.
 */
class ProviderAnsweringNothingOnTheFleetTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withUserConfiguration(AnsweringNothing.class)
            .withPropertyValues(redis.cacheProperties());

    @Test
    void theCallHoldingTheLeaseAsksTheProviderOnce() {
        this.contextRunner.run(context -> {
            AnsweringNothing provider = context.getBean(AnsweringNothing.class);
            CompletionService service = context.getBean(CompletionService.class);
            int asked = warmedUp(service, provider);

            assertThatIllegalStateException()
                    .isThrownBy(() ->
                            service.acompletion(question("nothing comes back")).block())
                    .withMessageContaining("answered nothing");
            assertThat(provider.asked.get() - asked).isEqualTo(1);
        });
    }

    @Test
    void anIdenticalCallWaitingForItAsksOnceMore() {
        this.contextRunner.run(context -> {
            AnsweringNothing provider = context.getBean(AnsweringNothing.class);
            CompletionService service = context.getBean(CompletionService.class);
            int asked = warmedUp(service, provider);
            CountDownLatch held = provider.hold();
            CompletableFuture<ChatCompletion> leader =
                    service.acompletion(question("nothing comes back")).toFuture();
            await().atMost(Duration.ofSeconds(10)).until(() -> provider.asked.get() > asked);
            CompletableFuture<ChatCompletion> waiting =
                    service.acompletion(question("nothing comes back")).toFuture();
            held.countDown();

            assertThat(leader).failsWithin(10, TimeUnit.SECONDS);
            assertThat(waiting).failsWithin(10, TimeUnit.SECONDS);
            assertThat(provider.asked.get() - asked).isEqualTo(2);
        });
    }

    /**
     * How many times the provider was asked once the cache has made a call of another question, so that the next
     * calls find Redis connected and take the lease.
     */
    private static int warmedUp(CompletionService service, AnsweringNothing provider) {
        service.acompletion(question("warm-up")).onErrorComplete().block();
        return provider.asked.get();
    }

    /** A provider that answers every completion with an empty {@code Mono}, once the test lets it. */
    @Configuration(proxyBeanMethods = false)
    static class AnsweringNothing {

        final AtomicInteger asked = new AtomicInteger();

        private volatile CountDownLatch held = new CountDownLatch(0);

        /** Holds the answers until the latch given is counted down. */
        CountDownLatch hold() {
            this.held = new CountDownLatch(1);
            return this.held;
        }

        @Bean
        CompletionService answeringNothingCompletionService() {
            return new CountingCompletionService() {

                @Override
                public Mono<ChatCompletion> acompletion(ChatCompletionRequest request) {
                    return Mono.fromCallable(() -> {
                                CountDownLatch held = AnsweringNothing.this.held;
                                AnsweringNothing.this.asked.incrementAndGet();
                                return held.await(10, TimeUnit.SECONDS);
                            })
                            .subscribeOn(Schedulers.boundedElastic())
                            .then(Mono.empty());
                }
            };
        }
    }
}
