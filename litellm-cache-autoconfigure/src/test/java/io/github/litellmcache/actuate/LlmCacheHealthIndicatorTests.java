package io.github.litellmcache.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.autoconfigure.LiteLlmCacheHealthAutoConfiguration;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.cache.engine.GuardedBackend;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

/** The {@code litellmCache} health contributor, invoked directly on the auto-configured bean. */
class LlmCacheHealthIndicatorTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withConfiguration(AutoConfigurations.of(LiteLlmCacheHealthAutoConfiguration.class));

    private static Health health(AssertableApplicationContext context) {
        return context.getBean("litellmCacheHealthIndicator", LlmCacheHealthIndicator.class)
                .health();
    }

    private static void awaitUp(AssertableApplicationContext context) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(health(context).getStatus()).isEqualTo(Status.UP));
    }

    @Test
    void localBackendIsUpWithItsType() {
        this.contextRunner.run(context -> {
            Health health = health(context);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsExactly(Map.entry("type", "local"));
        });
    }

    @Test
    void failingBackendIsDownWithTheMostSpecificCauseAndNoSecret() {
        this.contextRunner
                .withUserConfiguration(FailingBackendConfiguration.class)
                .withPropertyValues("litellm.cache.redis.password=hunter2")
                .run(context -> {
                    Health health = health(context);
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails())
                            .containsEntry("type", "local")
                            .containsEntry("reason", "IOException: refused, AUTH ****** rejected")
                            .doesNotContainKey("error");
                    assertThat(health.toString()).doesNotContain("hunter2");
                });
    }

    @Test
    void slowBackendIsDownAfterAboutTheTimeout() {
        this.contextRunner
                .withUserConfiguration(SlowBackendConfiguration.class)
                .withPropertyValues("litellm.cache.timeout=200ms")
                .run(context -> {
                    GuardedBackend guarded = context.getBean(BackendGuards.class)
                            .guard(context.getBean(LlmCache.class).backend());
                    await().atMost(Duration.ofSeconds(10)).until(() -> !guarded.isWarmingUp());
                    long start = System.nanoTime();
                    Health health = health(context);
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails()).containsEntry("reason", "TimeoutException: no answer within 300ms");
                    assertThat(took).isLessThan(Duration.ofSeconds(1));
                });
    }

    /**
     * Calls read an in-process backend with no deadline, so a read slowed by a loaded machine (here 500 ms, past the
     * probe's deadline of the timeout and 100 ms) is no outage.
     */
    @Test
    void inProcessBackendSlowerThanTheTimeoutIsUp() {
        this.contextRunner
                .withBean(CacheBackend.class, () -> new SlowBackend(Duration.ofMillis(500), true))
                .withPropertyValues("litellm.cache.timeout=10ms")
                .run(context -> assertThat(health(context).getStatus()).isEqualTo(Status.UP));
    }

    @Test
    void backendSkippedAfterRepeatedFailuresIsDownWithoutBeingProbed() {
        this.contextRunner
                .withUserConfiguration(FailingBackendConfiguration.class)
                .run(context -> {
                    FailingBackend failing = context.getBean(FailingBackend.class);
                    GuardedBackend guarded = context.getBean(BackendGuards.class)
                            .guard(context.getBean(LlmCache.class).backend());
                    for (int i = 0; i < 5; i++) {
                        // A deadline the failing read never nears, so that each probe reaches the breaker.
                        assertThatRuntimeException().isThrownBy(() -> guarded.probe(Duration.ofSeconds(30)));
                    }
                    assertThat(guarded.isAvailable()).isFalse();
                    int reads = failing.reads.get();

                    Health health = health(context);

                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails())
                            .containsEntry("type", "local")
                            .containsEntry("reason", "skipped after repeated failures");
                    assertThat(failing.reads.get()).isEqualTo(reads);
                });
    }

    @Test
    void redisIsDownWhileStoppedAndUpAgainAfterARestart() {
        try (RedisServer redis = RedisServer.launch("--requirepass", "redis-pass-123")) {
            this.contextRunner
                    .withPropertyValues(
                            "litellm.cache.type=redis",
                            "litellm.cache.redis.host=127.0.0.1",
                            "litellm.cache.redis.port=" + redis.port(),
                            "litellm.cache.redis.password=redis-pass-123",
                            "litellm.cache.timeout=200ms",
                            "litellm.cache.cooldown=500ms")
                    .run(context -> {
                        // UP once the first connection is made, which a loaded machine can delay past the probe's
                        // deadline.
                        awaitUp(context);
                        assertThat(health(context).getDetails()).containsEntry("type", "redis");

                        redis.stop();
                        Health down = health(context);
                        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(down.getDetails()).containsEntry("type", "redis");
                        assertThat((String) down.getDetails().get("reason"))
                                .isNotBlank()
                                .doesNotContain("redis-pass-123");

                        redis.start();
                        awaitUp(context);
                    });
        }
    }

    /**
     * Reads still answer, so the backend is UP, yet nothing is stored: the health says so, and when the store refused,
     * until a write succeeds.
     */
    @Test
    void redisRefusingEveryWriteIsUpWithTheRefusalAndItsTimeUntilAWriteSucceeds() {
        try (RedisServer redis = RedisServer.launch()) {
            this.contextRunner.withPropertyValues(redis.cacheProperties()).run(context -> {
                CompletionService service = context.getBean(CompletionService.class);
                awaitUp(context);
                redis.admin().configSet("maxmemory", "1");
                Instant asked = Instant.now();
                service.completion(question("asked while Redis is out of memory"));
                Health refusing = health(context);
                assertThat(refusing.getStatus()).isEqualTo(Status.UP);
                assertThat((String) refusing.getDetails().get("writesRefused")).contains("OOM");
                assertThat(Instant.parse((String) refusing.getDetails().get("writesRefusedAt")))
                        .isBetween(asked, Instant.now());

                redis.admin().configSet("maxmemory", "0");
                service.completion(question("asked once Redis has memory again"));
                assertThat(health(context).getDetails()).containsOnlyKeys("type");
            });
        }
    }

    /**
     * A Redis made a replica of a master it cannot reach answers reads and fails every write ({@code READONLY}): calls
     * skip its writes after repeated failures yet still read it, so it is UP, and the health says writes are skipped.
     */
    @Test
    void redisWhoseWritesFailRepeatedlyIsUpWithWritesSkipped() {
        try (RedisServer redis = RedisServer.launch()) {
            this.contextRunner
                    .withPropertyValues(redis.cacheProperties())
                    .withPropertyValues("litellm.cache.cooldown=60s")
                    .run(context -> {
                        awaitUp(context);
                        redis.admin().replicaof("127.0.0.1", 1);
                        askedAtOnce(context.getBean(CompletionService.class), 12);
                        await().atMost(Duration.ofSeconds(10))
                                .untilAsserted(() -> assertThat(health(context).getDetails())
                                        .containsEntry("writes", LlmCacheHealthIndicator.SKIPPED));
                        Health health = health(context);
                        assertThat(health.getStatus()).isEqualTo(Status.UP);
                        assertThat(health.getDetails()).doesNotContainKey("reason");
                    });
        }
    }

    /** The probe takes none of Reactor's shared workers: a Redis that answers is UP however busy the application keeps them. */
    @Test
    void redisIsUpWhileTheApplicationKeepsEveryWorkerThreadBusy() {
        try (RedisServer redis = RedisServer.launch()) {
            this.contextRunner.withPropertyValues(redis.cacheProperties()).run(context -> {
                awaitUp(context);
                CountDownLatch busy = new CountDownLatch(Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE);
                CountDownLatch done = new CountDownLatch(1);
                try {
                    for (int i = 0; i < Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE; i++) {
                        Schedulers.boundedElastic().schedule(() -> {
                            busy.countDown();
                            try {
                                done.await();
                            } catch (InterruptedException ex) {
                                Thread.currentThread().interrupt();
                            }
                        });
                    }
                    assertThat(busy.await(10, TimeUnit.SECONDS))
                            .as("every worker busy")
                            .isTrue();

                    assertThat(health(context).getStatus()).isEqualTo(Status.UP);
                } finally {
                    done.countDown();
                }
            });
        }
    }

    /**
     * With no calls (a quiet instance, or one that a load balancer took out of service for its health), the health
     * check alone must find a recovered backend again once the cool-down has passed.
     */
    @Test
    void redisSkippedAfterRepeatedFailuresIsUpAgainAfterTheCooldownWithoutAnyCall() {
        try (RedisServer redis = RedisServer.launch()) {
            this.contextRunner
                    .withPropertyValues(redis.cacheProperties())
                    .withPropertyValues("litellm.cache.timeout=200ms", "litellm.cache.cooldown=500ms")
                    .run(context -> {
                        awaitUp(context);
                        redis.pause();
                        await().atMost(Duration.ofSeconds(30))
                                .pollInterval(Duration.ofMillis(100))
                                .untilAsserted(() -> assertThat(health(context).getDetails())
                                        .containsEntry("reason", LlmCacheHealthIndicator.SKIPPED));
                        redis.resume();
                        awaitUp(context);
                    });
        }
    }

    /** Calls wait for the warm-up rather than skip the cache: DOWN would say they go to the provider. */
    @Test
    void redisThatDoesNotAnswerAtStartupIsUnknownWhileWarmingUpThenDown() {
        try (RedisServer redis = RedisServer.launch()) {
            redis.pause();
            this.contextRunner
                    .withPropertyValues(
                            "litellm.cache.type=redis",
                            "litellm.cache.redis.host=127.0.0.1",
                            "litellm.cache.redis.port=" + redis.port(),
                            "litellm.cache.timeout=200ms")
                    .run(context -> {
                        Health warmingUp = health(context);
                        assertThat(warmingUp.getStatus()).isEqualTo(Status.UNKNOWN);
                        assertThat(warmingUp.getDetails()).containsEntry("reason", "warming up");

                        await().atMost(Duration.ofSeconds(15))
                                .pollInterval(Duration.ofMillis(200))
                                .untilAsserted(() ->
                                        assertThat(health(context).getStatus()).isEqualTo(Status.DOWN));
                        redis.resume();
                        await().atMost(Duration.ofSeconds(30))
                                .pollInterval(Duration.ofMillis(200))
                                .untilAsserted(() ->
                                        assertThat(health(context).getStatus()).isEqualTo(Status.UP));
                    });
        }
    }

    @Test
    void disabledByPropertyLeavesNoIndicator() {
        this.contextRunner
                .withPropertyValues("management.health.litellm-cache.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(LlmCacheHealthIndicator.class));
    }

    @Test
    void disabledDefaultsLeaveNoIndicator() {
        this.contextRunner
                .withPropertyValues("management.health.defaults.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(LlmCacheHealthIndicator.class));
    }

    /** Fails every read; the innermost cause names the password, as a careless driver might. */
    static class FailingBackend implements CacheBackend {

        final AtomicInteger reads = new AtomicInteger();

        @Override
        public String name() {
            return "failing";
        }

        @Override
        public @Nullable CacheEntry get(CacheKey key) {
            this.reads.incrementAndGet();
            throw new IllegalStateException(
                    "read failed", new UncheckedIOException(new IOException("refused, AUTH hunter2 rejected")));
        }

        @Override
        public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
            throw new IllegalStateException("write failed");
        }

        @Override
        public void clear() {}
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingBackendConfiguration {

        @Bean
        FailingBackend failingBackend() {
            return new FailingBackend();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SlowBackendConfiguration {

        /** Answers its first read, the warm-up's, at once, and every later one after 5 s. */
        @Bean
        CacheBackend slowBackend() {
            return new SlowBackend(Duration.ofSeconds(5), false);
        }
    }

    /** A backend whose reads take {@code delay}; a remote one answers its first read, the warm-up's, at once. */
    static class SlowBackend implements CacheBackend {

        private final Duration delay;

        private final boolean inProcess;

        private final AtomicBoolean warmedUp = new AtomicBoolean();

        SlowBackend(Duration delay, boolean inProcess) {
            this.delay = delay;
            this.inProcess = inProcess;
        }

        @Override
        public String name() {
            return "slow";
        }

        @Override
        public boolean isInProcess() {
            return this.inProcess;
        }

        @Override
        public @Nullable CacheEntry get(CacheKey key) {
            if (!this.inProcess && this.warmedUp.compareAndSet(false, true)) {
                return null;
            }
            try {
                Thread.sleep(this.delay.toMillis());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return null;
        }

        @Override
        public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {}

        @Override
        public void clear() {}
    }
}
