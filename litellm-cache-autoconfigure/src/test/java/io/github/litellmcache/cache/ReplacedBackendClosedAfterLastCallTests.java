package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.actuate.LlmCacheHealthIndicator;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.cache.local.LocalCacheBackend;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.FullReactorWorkerQueue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * A backend that {@link LlmCache#update} replaced is closed when the last call using it has ended, not before; so are
 * a {@link LlmCache#clear()} and a health probe using it.
 */
class ReplacedBackendClosedAfterLastCallTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withUserConfiguration(RecordingBackends.class);

    @Test
    void aSlowStreamOnAReplacedBackendStillWritesAndTheBackendIsClosedAfterIt() {
        this.provider.chunkInterval(Duration.ofMillis(250));
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            List<RecordingBackend> created = context.getBean(RecordingBackends.class).created;
            cache.update(withMaximumSize(cache, 300));
            RecordingBackend old = created.get(0);
            CountDownLatch firstChunk = new CountDownLatch(1);
            CompletableFuture<List<ChatCompletionChunk>> stream = service.streamCompletion(question("a long story"))
                    .doOnNext(chunk -> firstChunk.countDown())
                    .collectList()
                    .toFuture();
            assertThat(firstChunk.await(10, TimeUnit.SECONDS)).isTrue();
            cache.update(withMaximumSize(cache, 400));
            assertThat(old.closed).as("closed while a call used it").isFalse();
            assertThat(stream.get(20, TimeUnit.SECONDS)).isNotEmpty();
            assertThat(old.writes)
                    .as("the stream's entry, written to the backend it started with")
                    .hasSize(1);
            assertThat(old.writesAfterClose).isZero();
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(old.closed)
                            .as("closed once the last call ended")
                            .isTrue());
            assertThat(old.closedOnNonBlockingThread)
                    .as("closed off the event loop that ended the stream")
                    .isFalse();
            assertThat(created.get(1).closed).isFalse();
        });
    }

    @Test
    void aReplacedBackendIsClosedAfterItsLastCallThoughReactorsWorkerQueueIsFull() {
        this.provider.latency(Duration.ofMillis(500));
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            cache.update(withMaximumSize(cache, 300));
            RecordingBackend old =
                    context.getBean(RecordingBackends.class).created.get(0);
            CompletableFuture<ChatCompletion> call =
                    CompletableFuture.supplyAsync(() -> service.completion(question("a long story")));
            this.provider.awaitRequests(1);
            try (FullReactorWorkerQueue full = FullReactorWorkerQueue.fill()) {
                cache.update(withMaximumSize(cache, 400));
                assertThat(old.closed).as("closed while a call used it").isFalse();

                assertThat(call.get(10, TimeUnit.SECONDS).content()).endsWith("a long story");
                await().atMost(Duration.ofSeconds(5))
                        .untilAsserted(() -> assertThat(old.closed)
                                .as("closed once the last call ended")
                                .isTrue());
            }
            assertThat(old.writes).hasSize(1);
        });
    }

    @Test
    void aReactiveLeaderWhoseCallerCancelledStoresItsAnswerOnItsBackendBeforeUpdateClosesIt() {
        this.provider.latency(Duration.ofMillis(500));
        assertStoredBeforeUpdateClosesTheBackendAfter(service -> {
            Disposable call = service.acompletion(question("a long story")).subscribe();
            this.provider.awaitRequests(1);
            call.dispose();
        });
    }

    @Test
    void aStreamRunOnForAFollowerIsStoredOnItsBackendBeforeUpdateClosesItThoughBothCallersCancelled() {
        this.provider.chunkInterval(Duration.ofMillis(100));
        assertStoredBeforeUpdateClosesTheBackendAfter(service -> {
            CountDownLatch firstChunk = new CountDownLatch(1);
            Disposable leader = service.streamCompletion(question("a long story"))
                    .doOnNext(chunk -> firstChunk.countDown())
                    .subscribe();
            assertThat(firstChunk.await(10, TimeUnit.SECONDS)).isTrue();
            Disposable follower =
                    service.streamCompletion(question("a long story")).subscribe();
            leader.dispose();
            follower.dispose();
        });
    }

    /**
     * On a cache just updated onto a recording backend, {@code callersGone} leaves a flight running without callers;
     * then an update replaces that backend, which gets the flight's answer, and is closed only after it.
     */
    private void assertStoredBeforeUpdateClosesTheBackendAfter(CallersGone callersGone) {
        this.contextRunner.run(context -> {
            LlmCache cache = context.getBean(LlmCache.class);
            cache.update(withMaximumSize(cache, 300));
            RecordingBackend old =
                    context.getBean(RecordingBackends.class).created.get(0);
            callersGone.run(context.getBean(CompletionService.class));
            cache.update(withMaximumSize(cache, 400));
            await().atMost(Duration.ofSeconds(10)).until(() -> old.closed);
            assertThat(old.writes)
                    .as("written to the backend the flight started with")
                    .hasSize(1);
            assertThat(old.writesAfterClose).isZero();
        });
    }

    /** Calls whose callers are gone by its end. */
    @FunctionalInterface
    private interface CallersGone {

        void run(CompletionService service) throws Exception;
    }

    @Test
    void clearOnABackendThatUpdateReplacesEndsBeforeTheBackendIsClosed() throws Exception {
        PausedBackend paused = new PausedBackend();
        try (LlmCache cache = replacing(paused)) {
            cache.update(cache.settings().toBuilder().local(new LocalLimits(2)).build());
            CompletableFuture<Void> clear = CompletableFuture.runAsync(cache::clear);
            assertThat(paused.entered.await(10, TimeUnit.SECONDS)).isTrue();
            cache.update(cache.settings().toBuilder().local(new LocalLimits(3)).build());
            assertThat(paused.closing.await(1, TimeUnit.SECONDS))
                    .as("closed while clear() used it")
                    .isFalse();
            paused.proceed.countDown();
            clear.get(10, TimeUnit.SECONDS);
            assertThat(paused.closing.await(10, TimeUnit.SECONDS))
                    .as("closed once clear() ended")
                    .isTrue();
        }
    }

    @Test
    void aHealthProbeOfABackendThatUpdateReplacesIsUpAndEndsBeforeTheBackendIsClosed() throws Exception {
        PausedBackend paused = new PausedBackend();
        BackendGuards guards = new BackendGuards(Timeouts.DEFAULTS, List.of());
        try (LlmCache cache = replacing(paused)) {
            cache.update(cache.settings().toBuilder().local(new LocalLimits(2)).build());
            LlmCacheHealthIndicator indicator = new LlmCacheHealthIndicator(cache, guards);
            CompletableFuture<Health> health = CompletableFuture.supplyAsync(indicator::health);
            assertThat(paused.entered.await(10, TimeUnit.SECONDS)).isTrue();
            cache.update(cache.settings().toBuilder().local(new LocalLimits(3)).build());
            assertThat(paused.closing.await(1, TimeUnit.SECONDS))
                    .as("closed while the health probe used it")
                    .isFalse();
            paused.proceed.countDown();
            assertThat(health.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(Status.UP);
            assertThat(paused.closing.await(10, TimeUnit.SECONDS))
                    .as("closed once the probe ended")
                    .isTrue();
        }
    }

    /** A cache with a timeout long enough for a paused probe, whose first update creates {@code paused}. */
    private static LlmCache replacing(PausedBackend paused) {
        CacheSettings settings = CacheSettings.defaults().toBuilder()
                .timeouts(new Timeouts(Duration.ofSeconds(20), Duration.ofSeconds(5)))
                .build();
        List<CacheBackend> created = new CopyOnWriteArrayList<>(List.of(paused));
        return new LlmCache(
                settings,
                true,
                new LocalCacheBackend(100),
                newSettings -> created.isEmpty() ? new LocalCacheBackend(newSettings.local()) : created.remove(0));
    }

    /** The cache's settings with another local maximum size, which makes a new backend. */
    private static CacheSettings withMaximumSize(LlmCache cache, int maximumSize) {
        return cache.settings().toBuilder().local(new LocalLimits(maximumSize)).build();
    }

    @Configuration(proxyBeanMethods = false)
    static class RecordingBackends {

        final List<RecordingBackend> created = new CopyOnWriteArrayList<>();

        @Bean
        LlmCache recordingLlmCache(BackendGuards guards) {
            CacheSettings settings = CacheSettings.defaults();
            return new LlmCache(settings, true, new LocalCacheBackend(100), newSettings -> {
                RecordingBackend backend = new RecordingBackend();
                this.created.add(backend);
                guards.guard(backend, newSettings.timeouts());
                return backend;
            });
        }
    }

    /** Pauses its first read and its first clear until {@link #proceed}, and then fails if it was closed meanwhile. */
    static final class PausedBackend implements CacheBackend {

        final CountDownLatch entered = new CountDownLatch(1);

        final CountDownLatch proceed = new CountDownLatch(1);

        final CountDownLatch closing = new CountDownLatch(1);

        @Override
        public String name() {
            return "paused";
        }

        @Override
        public boolean isInProcess() {
            return true;
        }

        @Override
        public @Nullable CacheEntry get(CacheKey key) {
            pause();
            return null;
        }

        @Override
        public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {}

        @Override
        public void clear() {
            pause();
        }

        private void pause() {
            this.entered.countDown();
            try {
                this.proceed.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            if (this.closing.getCount() == 0) {
                throw new IllegalStateException("closed");
            }
        }

        @Override
        public void close() {
            this.closing.countDown();
        }
    }

    static final class RecordingBackend extends LocalBackedBackend {

        final List<CacheKey> writes = new CopyOnWriteArrayList<>();

        volatile int writesAfterClose;

        volatile boolean closedOnNonBlockingThread;

        RecordingBackend() {
            super("recording");
        }

        @Override
        public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
            if (this.closed) {
                this.writesAfterClose++;
                throw new IllegalStateException("closed");
            }
            this.writes.add(key);
            super.put(key, entry, ttl);
        }

        @Override
        public void close() {
            this.closedOnNonBlockingThread = Schedulers.isInNonBlockingThread();
            super.close();
        }
    }
}
