package io.github.litellmcache.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.autoconfigure.LiteLlmCacheMetricsAutoConfiguration;
import io.github.litellmcache.cache.CacheEntries;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.LocalLimits;
import io.github.litellmcache.cache.Timeouts;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.cache.local.LocalCacheBackend;
import io.github.litellmcache.cache.local.TierUsage;
import io.github.litellmcache.callback.CallEvent;
import io.github.litellmcache.callback.CallEvents;
import io.github.litellmcache.callback.CallbackDispatcher;
import io.github.litellmcache.callback.CompletionCallback;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * The meters of the cache's state ({@link CacheStateMetrics}) in a {@link SimpleMeterRegistry}, through the
 * auto-configuration, against a real {@code redis-server} and the provider fake: what an on-call engineer reads when
 * the cache is skipped, full or dropping callback events.
 */
class CacheStateMetricsTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withConfiguration(
                    AutoConfigurations.of(MetricsAutoConfiguration.class, LiteLlmCacheMetricsAutoConfiguration.class))
            .withUserConfiguration(MicrometerCacheMetricsTests.SimpleRegistryConfiguration.class)
            .withPropertyValues("litellm.openai.api-key=sk-state-metrics-test");

    private static double gauge(MeterRegistry registry, String name, String backend) {
        return registry.get(name).tag("backend", backend).gauge().value();
    }

    private static double evictions(MeterRegistry registry, String backend) {
        return registry.get(CacheStateMetrics.EVICTIONS)
                .tag("backend", backend)
                .functionCounter()
                .count();
    }

    @Test
    void localCacheEntriesMemoryAndEvictionsAreGaugedAgainstItsBounds() {
        this.contextRunner
                .withPropertyValues("litellm.cache.local.maximum-size=3", "litellm.cache.local.max-memory=1MB")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    for (int i = 0; i < 5; i++) {
                        service.completion(question("question " + i));
                    }
                    ((LocalCacheBackend) context.getBean(LlmCache.class).backend()).size();

                    double entries = gauge(registry, CacheStateMetrics.ENTRIES, "local");
                    assertThat(entries).isBetween(1.0, 3.0);
                    assertThat(evictions(registry, "local")).isEqualTo(5 - entries);
                    assertThat(gauge(registry, CacheStateMetrics.MEMORY_MAX, "local"))
                            .isEqualTo(DataSize.ofMegabytes(1).toBytes());
                    assertThat(gauge(registry, CacheStateMetrics.MEMORY_USED, "local"))
                            .isPositive()
                            .isLessThanOrEqualTo(DataSize.ofMegabytes(1).toBytes());
                    assertThat(registry.find(CacheStateMetrics.AVAILABLE).gauges())
                            .as("the local cache has no circuit breaker")
                            .isEmpty();
                });
    }

    @Test
    void evictionsGoOnFromTheReplacedLocalCacheAcrossUpdates() {
        try (RedisServer redis = RedisServer.launch()) {
            this.contextRunner
                    .withPropertyValues("litellm.cache.local.maximum-size=3")
                    .run(context -> {
                        CompletionService service = context.getBean(CompletionService.class);
                        MeterRegistry registry = context.getBean(MeterRegistry.class);
                        LlmCache cache = context.getBean(LlmCache.class);
                        for (int i = 0; i < 5; i++) {
                            service.completion(question("question " + i));
                        }
                        ((LocalCacheBackend) cache.backend()).size();
                        double evicted = evictions(registry, "local");
                        assertThat(evicted).isPositive();

                        cache.update(localSettings(cache.settings(), 2));
                        assertThat(evictions(registry, "local")).isEqualTo(evicted);
                        cache.update(redisSettings(cache.settings(), redis));
                        cache.update(localSettings(cache.settings(), 3).toBuilder()
                                .type(CacheType.LOCAL)
                                .build());
                        assertThat(evictions(registry, "local"))
                                .as("after a backend without a local tier")
                                .isEqualTo(evicted);
                    });
        }
    }

    @Test
    void evictionsOfAReplacedLocalCacheThatCallsStillUseAreCounted() {
        this.contextRunner
                .withPropertyValues("litellm.cache.local.maximum-size=3")
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    LlmCache cache = context.getBean(LlmCache.class);
                    LlmCache.State inFlight = cache.acquire();
                    try {
                        cache.update(localSettings(cache.settings(), 2));
                        LocalCacheBackend replaced = (LocalCacheBackend) inFlight.backend();
                        CacheEntry entry = CacheEntries.answering("x");
                        for (int i = 0; i < 5; i++) {
                            replaced.put(new CacheKey(null, "written after the switch " + i), entry, null);
                        }
                        replaced.size();

                        assertThat(evictions(registry, "local")).isPositive();
                    } finally {
                        cache.release(inFlight);
                    }
                });
    }

    @Test
    void backendMetersFollowAnUpdateAndTellOfNoReplacedBackend() {
        try (RedisServer redis = RedisServer.launch()) {
            this.contextRunner.run(context -> {
                CompletionService service = context.getBean(CompletionService.class);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                LlmCache cache = context.getBean(LlmCache.class);
                service.completion(question("before the update"));
                assertThat(gauge(registry, CacheStateMetrics.ENTRIES, "local")).isOne();

                cache.update(localSettings(cache.settings(), 2));
                assertThat(registry.find(CacheStateMetrics.MEMORY_MAX).gauges()).hasSize(1);
                assertThat(gauge(registry, CacheStateMetrics.MEMORY_MAX, "local"))
                        .isEqualTo(DataSize.ofMegabytes(2).toBytes());
                assertThat(gauge(registry, CacheStateMetrics.ENTRIES, "local"))
                        .as("the new local cache's entries")
                        .isZero();

                cache.update(redisSettings(cache.settings(), redis));
                for (String name : List.of(
                        CacheStateMetrics.ENTRIES,
                        CacheStateMetrics.MEMORY_USED,
                        CacheStateMetrics.MEMORY_MAX,
                        CacheStateMetrics.EVICTIONS)) {
                    assertThat(Search.in(registry).name(name).meters())
                            .as(name + " of the replaced local cache")
                            .isEmpty();
                }
                assertThat(registry.find(CacheStateMetrics.AVAILABLE).gauges()).hasSize(1);
                assertThat(gauge(registry, CacheStateMetrics.AVAILABLE, "redis"))
                        .isOne();
            });
        }
    }

    @Test
    void metersFollowAnUpdateOfAnApplicationsOwnCacheWhoseFactoryGuardsNothing() {
        this.contextRunner.withUserConfiguration(OwnCache.class).run(context -> {
            LlmCache cache = context.getBean(LlmCache.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean(CompletionService.class).completion(question("before the update"));
            cache.update(localSettings(cache.settings(), 2));
            assertThat(gauge(registry, CacheStateMetrics.MEMORY_MAX, "local"))
                    .isEqualTo(DataSize.ofMegabytes(2).toBytes());
        });
    }

    /** What the gauges read of a backend (its usage, which holds its entries, and which the backend holds). */
    @Test
    void metersKeepNoReplacedBackendInMemory() {
        this.contextRunner.run(context -> {
            LlmCache cache = context.getBean(LlmCache.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            cache.update(localSettings(cache.settings(), 2));
            WeakReference<TierUsage> replaced = new WeakReference<>(((LocalCacheBackend) cache.backend()).usage());
            cache.update(localSettings(cache.settings(), 3));
            cache.update(localSettings(cache.settings(), 4));
            assertThat(gauge(registry, CacheStateMetrics.MEMORY_MAX, "local"))
                    .isEqualTo(DataSize.ofMegabytes(4).toBytes());
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                System.gc();
                return replaced.get() == null;
            });
        });
    }

    @Test
    void aRegistryRefusingTheMetersOfANewBackendFailsNoUpdate() {
        this.contextRunner.run(context -> {
            LlmCache cache = context.getBean(LlmCache.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            registry.config().meterFilter(new MeterFilter() {
                @Override
                public Meter.Id map(Meter.Id id) {
                    if (id.getName().equals(CacheStateMetrics.MEMORY_USED)) {
                        throw new IllegalStateException("refused");
                    }
                    return id;
                }
            });
            cache.update(localSettings(cache.settings(), 2));
            assertThat(cache.settings().local().maxMemory()).isEqualTo(DataSize.ofMegabytes(2));
            assertThat(registry.find(CacheStateMetrics.MEMORY_USED).gauges()).isEmpty();

            cache.update(localSettings(cache.settings(), 3));
            assertThat(registry.find(CacheStateMetrics.ENTRIES).gauges())
                    .as("the meter registered before the refusal, removed with the backend it told of")
                    .hasSize(1);
        });
    }

    @Test
    void availabilityGaugeSaysARedisThatFailedRepeatedlyIsSkippedThenThatItAnswersAgain() {
        try (RedisServer redis = RedisServer.launch()) {
            this.contextRunner
                    .withPropertyValues(redis.cacheProperties())
                    .withPropertyValues("litellm.cache.timeout=200ms", "litellm.cache.cooldown=300ms")
                    .run(context -> {
                        MicrometerCacheMetricsTests.connected(context.getBean(LlmCache.class));
                        CompletionService service = context.getBean(CompletionService.class);
                        MeterRegistry registry = context.getBean(MeterRegistry.class);
                        service.completion(question("before the outage"));
                        assertThat(gauge(registry, CacheStateMetrics.AVAILABLE, "redis"))
                                .isOne();

                        redis.stop();
                        callUntilAvailableIs(0, service, registry);

                        redis.start();
                        callUntilAvailableIs(1, service, registry);
                        assertThat(service.completion(question("after the outage"))
                                        .cacheHit())
                                .isFalse();
                        assertThat(service.completion(question("after the outage"))
                                        .cacheHit())
                                .isTrue();
                    });
        }
    }

    /**
     * No call comes after Redis is back (an instance a load balancer took out, a quiet night): reading the gauge past
     * the cool-down tries Redis in the background, and a later read tells that it answers.
     */
    @Test
    void availabilityGaugeOfAnInstanceWithoutCallsSaysThatARestartedRedisAnswersAgain() {
        try (RedisServer redis = RedisServer.launch()) {
            this.contextRunner
                    .withPropertyValues(redis.cacheProperties())
                    .withPropertyValues("litellm.cache.timeout=200ms", "litellm.cache.cooldown=300ms")
                    .run(context -> {
                        MicrometerCacheMetricsTests.connected(context.getBean(LlmCache.class));
                        CompletionService service = context.getBean(CompletionService.class);
                        MeterRegistry registry = context.getBean(MeterRegistry.class);
                        redis.stop();
                        callUntilAvailableIs(0, service, registry);

                        redis.start();
                        int calls = this.provider.requestCount();
                        await().atMost(Duration.ofSeconds(30))
                                .pollInterval(Duration.ofMillis(100))
                                .until(() -> gauge(registry, CacheStateMetrics.AVAILABLE, "redis") == 1);
                        assertThat(this.provider.requestCount())
                                .as("no call made")
                                .isEqualTo(calls);
                    });
        }
    }

    @Test
    void nearTierIsGaugedApartFromItsRedis() {
        try (RedisServer redis = RedisServer.launch()) {
            this.contextRunner
                    .withPropertyValues(redis.cacheProperties())
                    .withPropertyValues("litellm.cache.near.enabled=true", "litellm.cache.near.max-memory=4MB")
                    .run(context -> {
                        MicrometerCacheMetricsTests.connected(context.getBean(LlmCache.class));
                        CompletionService service = context.getBean(CompletionService.class);
                        MeterRegistry registry = context.getBean(MeterRegistry.class);
                        // together: the write's own invalidation may drop the copy between two reads
                        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                            service.completion(question("near"));
                            assertThat(gauge(registry, CacheStateMetrics.ENTRIES, "near"))
                                    .isOne();
                            assertThat(gauge(registry, CacheStateMetrics.MEMORY_USED, "near"))
                                    .isPositive();
                        });
                        assertThat(gauge(registry, CacheStateMetrics.MEMORY_MAX, "near"))
                                .isEqualTo(DataSize.ofMegabytes(4).toBytes());
                        assertThat(evictions(registry, "near")).isZero();
                        assertThat(gauge(registry, CacheStateMetrics.AVAILABLE, "redis"))
                                .isOne();
                        assertThat(registry.find(CacheStateMetrics.ENTRIES)
                                        .tag("backend", "local")
                                        .gauges())
                                .isEmpty();
                    });
        }
    }

    @Test
    void callbackEventsDroppedBeyondTheQueueAreCounted() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CompletionCallback slow = new CompletionCallback() {
            @Override
            public void onSuccess(CallEvent event) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (CallbackDispatcher dispatcher = CallbackDispatcher.create(List.of(slow), 1, 1, Long.MAX_VALUE)) {
            new CacheStateMetrics(new BackendGuards(Timeouts.DEFAULTS, List.of()), dispatcher).bindTo(registry);
            for (int i = 0; i < 4; i++) {
                dispatcher.dispatch(event());
            }
            assertThat(registry.get(CacheStateMetrics.CALLBACKS_DROPPED)
                            .functionCounter()
                            .count())
                    .as("one delivered, one waiting, two dropped")
                    .isEqualTo(2);
        } finally {
            release.countDown();
        }
    }

    private static CallEvent event() {
        return CallEvents.answered(question("dispatched"));
    }

    private static CacheSettings localSettings(CacheSettings settings, int megabytes) {
        return settings.toBuilder()
                .local(new LocalLimits(100, DataSize.ofMegabytes(megabytes)))
                .build();
    }

    private static CacheSettings redisSettings(CacheSettings settings, RedisServer redis) {
        return settings.toBuilder()
                .type(CacheType.REDIS)
                .host("127.0.0.1")
                .port(redis.port())
                .build();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnCache {

        @Bean
        LlmCache ownCache() {
            CacheSettings settings = CacheSettings.defaults();
            return new LlmCache(
                    settings,
                    true,
                    new LocalCacheBackend(settings.local()),
                    true,
                    newSettings -> new LocalCacheBackend(newSettings.local()));
        }
    }

    /** Makes calls, each a read that fails or is skipped while Redis is down, until the gauge says {@code value}. */
    private static void callUntilAvailableIs(int value, CompletionService service, MeterRegistry registry) {
        int[] calls = {0};
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            service.completion(question("call " + calls[0]++));
            assertThat(gauge(registry, CacheStateMetrics.AVAILABLE, "redis")).isEqualTo(value);
        });
    }
}
