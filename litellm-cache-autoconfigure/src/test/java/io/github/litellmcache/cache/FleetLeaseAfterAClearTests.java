package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * On Redis with fleet single flight, {@link LlmCache#clear()} gives up the fleet leases of the calls this instance
 * began before it, whose answers will not be stored: an identical call begun after the clear calls the provider at
 * once, instead of waiting for the earlier call to end only to find nothing stored and call it then; so do the leases
 * held on a backend that {@link LlmCache#update} replaced while the calls holding them run.
 */
class FleetLeaseAfterAClearTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withUserConfiguration(HeldCalls.class).withPropertyValues(redis.cacheProperties());

    @Test
    void aCallBegunAfterAClearDoesNotWaitForTheFleetLeaseOfACallBegunBefore() {
        this.contextRunner.run(context -> assertACallBegunAfterTheClearDoesNotWait(context, cache -> {}));
    }

    @Test
    void aCallBegunAfterAClearDoesNotWaitForAFleetLeaseHeldOnABackendThatAnUpdateReplaced() {
        this.contextRunner.run(context -> assertACallBegunAfterTheClearDoesNotWait(context, cache -> {
            CacheBackend old = cache.backend();
            Timeouts timeouts = cache.settings().timeouts();
            cache.update(cache.settings().toBuilder()
                    .timeouts(
                            new Timeouts(timeouts.timeout(), timeouts.cooldown().plusSeconds(1)))
                    .build());
            assertThat(cache.backend()).as("a new backend on the same server").isNotSameAs(old);
        }));
    }

    /**
     * A call begun before {@code beforeTheClear} and the clear holds its lease; one begun after the clear calls the
     * provider while the first still runs, and its answer is the one stored.
     */
    private static void assertACallBegunAfterTheClearDoesNotWait(
            AssertableApplicationContext context, Consumer<LlmCache> beforeTheClear) throws Exception {
        HeldCalls provider = context.getBean(HeldCalls.class);
        CompletionService service = context.getBean(CompletionService.class);
        LlmCache cache = context.getBean(LlmCache.class);
        CompletableFuture<ChatCompletion> before =
                CompletableFuture.supplyAsync(() -> service.completion(question("the old prompt")));
        provider.awaitAsked(1);
        assertThat(redis.admin().keys("litellm:lock/*")).hasSize(1);

        beforeTheClear.accept(cache);
        cache.clear();
        CompletableFuture<ChatCompletion> after =
                CompletableFuture.supplyAsync(() -> service.completion(question("the old prompt")));
        try {
            provider.awaitAsked(2);
        } finally {
            provider.release();
        }

        ChatCompletion afterAnswer = after.get(10, TimeUnit.SECONDS);
        assertThat(afterAnswer.id())
                .isNotEqualTo(before.get(10, TimeUnit.SECONDS).id());
        ChatCompletion again = service.completion(question("the old prompt"));
        assertThat(again.cacheHit()).isTrue();
        assertThat(again.id()).isEqualTo(afterAnswer.id());
    }

    /** A provider whose calls wait until the test releases them; it counts the calls asked. */
    @Configuration(proxyBeanMethods = false)
    static class HeldCalls {

        private final AtomicInteger asked = new AtomicInteger();

        private final CountDownLatch released = new CountDownLatch(1);

        @Bean
        CompletionService heldCallsCompletionService() {
            return new CountingCompletionService() {

                @Override
                public ChatCompletion completion(ChatCompletionRequest request) {
                    HeldCalls.this.asked.incrementAndGet();
                    try {
                        assertThat(HeldCalls.this.released.await(30, TimeUnit.SECONDS))
                                .isTrue();
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(ex);
                    }
                    return super.completion(request);
                }
            };
        }

        void awaitAsked(int calls) {
            await().atMost(Duration.ofSeconds(10)).until(() -> this.asked.get() >= calls);
        }

        void release() {
            this.released.countDown();
        }
    }
}
