package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.FullReactorWorkerQueue;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link LlmCache#clear()} waits for the writes under way at most {@link Timeouts#longestWrite()}: an application's own
 * in-process backend whose write never returns does not hang it (nor the endpoint that calls it). It then clears
 * anyway, and logs that a write may land after it, without the write's key; what that write stores once it ends is
 * removed.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClearStopsWaitingForAWriteThatNeverEndsTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withUserConfiguration(HangingSecondWrite.class);

    @Test
    void aClearStopsWaitingForAWriteThatDoesNotReturnAndClearsAnyway(CapturedOutput output) {
        this.contextRunner.run(context -> {
            HangingSecondWrite writes = context.getBean(HangingSecondWrite.class);
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            service.completion(question("an earlier prompt"));
            CompletableFuture<ChatCompletion> hanging =
                    CompletableFuture.supplyAsync(() -> service.completion(question("the old prompt")));
            assertThat(writes.writing.await(10, TimeUnit.SECONDS)).isTrue();
            try {
                CompletableFuture.runAsync(cache::clear).get(60, TimeUnit.SECONDS);

                assertThat(service.completion(question("an earlier prompt")).cacheHit())
                        .as("the entries stored before were removed")
                        .isFalse();
                assertThat(output).contains("they may still store their answers after the clear");
            } finally {
                writes.release.countDown();
            }
            ChatCompletion answered = hanging.get(10, TimeUnit.SECONDS);
            assertThat(answered.content()).endsWith("the old prompt");
            assertThat(output).doesNotContain(answered.cacheKey()).doesNotContain("the old prompt");
        });
    }

    @Test
    void whatAWriteThatOutlastedTheClearsWaitStoresIsRemovedOnceItEnds() {
        this.contextRunner.run(context -> {
            assertALateWriteIsAnsweredAndRemovedOnceItEnds(context);

            assertThat(context.getBean(CompletionService.class)
                            .completion(question("the old prompt"))
                            .cacheHit())
                    .isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(3);
        });
    }

    @Test
    void aLateWriteIsRemovedAndItsCallAnsweredThoughReactorsWorkerQueueIsFull() {
        this.contextRunner.run(context -> {
            try (FullReactorWorkerQueue full = FullReactorWorkerQueue.fill()) {
                assertALateWriteIsAnsweredAndRemovedOnceItEnds(context);
            }
        });
    }

    /**
     * Clears the cache while a call's write hangs, lets the write end after the clear stopped waiting for it, and
     * asserts that the call gets its answer and that what the write stored is removed.
     */
    private void assertALateWriteIsAnsweredAndRemovedOnceItEnds(AssertableApplicationContext context) throws Exception {
        HangingSecondWrite writes = context.getBean(HangingSecondWrite.class);
        CompletionService service = context.getBean(CompletionService.class);
        service.completion(question("an earlier prompt"));
        CompletableFuture<ChatCompletion> hanging =
                CompletableFuture.supplyAsync(() -> service.completion(question("the old prompt")));
        assertThat(writes.writing.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            CompletableFuture.runAsync(context.getBean(LlmCache.class)::clear).get(60, TimeUnit.SECONDS);
        } finally {
            writes.release.countDown();
        }
        ChatCompletion answered = hanging.get(10, TimeUnit.SECONDS);
        assertThat(answered.content()).endsWith("the old prompt");

        CacheBackend backend = context.getBean(CacheBackend.class);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(backend.get(new CacheKey(null, answered.cacheKey())))
                        .as("the answer the write stored after the clear")
                        .isNull());
    }

    /** An in-process backend whose second write waits until the test releases it; it tells when that write began. */
    @Configuration(proxyBeanMethods = false)
    static class HangingSecondWrite {

        final CountDownLatch writing = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        private final AtomicInteger writes = new AtomicInteger();

        @Bean
        CacheBackend hangingSecondWriteBackend() {
            return new LocalBackedBackend("hanging writes") {

                @Override
                public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
                    if (HangingSecondWrite.this.writes.incrementAndGet() == 2) {
                        HangingSecondWrite.this.writing.countDown();
                        try {
                            HangingSecondWrite.this.release.await();
                        } catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    super.put(key, entry, ttl);
                }
            };
        }
    }
}
