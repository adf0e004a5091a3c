package io.github.litellmcache.cache.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.redis.RedisCacheBackend;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.scheduler.Schedulers;

/**
 * A remote backend's warm-up runs on Reactor's shared worker threads, which an application may keep all busy with its
 * own blocking work: calls then wait for the warm-up at most its deadline, not until a worker thread is free.
 */
class WarmUpWhileWorkerThreadsAreBusyTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private static final CacheKey KEY = new CacheKey(null, "k");

    @Test
    void readsWaitForTheWarmUpAtMostItsDeadlineWhileEveryWorkerThreadIsBusy() {
        CountDownLatch busy = new CountDownLatch(1);
        for (int i = 0; i < Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE; i++) {
            Schedulers.boundedElastic().schedule(() -> awaitQuietly(busy));
        }
        try (RedisCacheBackend redis =
                RedisCacheBackend.dedicated("127.0.0.1", server.port(), null, "litellm:", Duration.ofSeconds(2))) {
            GuardedBackend guarded =
                    new GuardedBackend(redis, Duration.ofMillis(250), Duration.ofSeconds(5), List.of());
            CompletableFuture<Read<CacheEntry>> blocking = CompletableFuture.supplyAsync(
                    () -> guarded.read(KEY, CallMode.BLOCKING).toMono().block());
            CompletableFuture<Read<CacheEntry>> reactive =
                    guarded.read(KEY, CallMode.REACTIVE).toMono().toFuture();

            assertThat(blocking).succeedsWithin(Duration.ofSeconds(30));
            assertThat(reactive).succeedsWithin(Duration.ofSeconds(30));
        } finally {
            busy.countDown();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
