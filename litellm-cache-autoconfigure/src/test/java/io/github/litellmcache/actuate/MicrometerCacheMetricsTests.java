package io.github.litellmcache.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.autoconfigure.LiteLlmCacheMetricsAutoConfiguration;
import io.github.litellmcache.cache.BackendOperation;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheOutcome;
import io.github.litellmcache.cache.CacheRecorder;
import io.github.litellmcache.cache.CacheStatistics;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.completion.LlmResponse;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code litellm.cache.*} meters in a {@link SimpleMeterRegistry} after known sequences of calls,
 * through the auto-configuration and a real HTTP fake of the provider.
 */
class MicrometerCacheMetricsTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withConfiguration(
                    AutoConfigurations.of(MetricsAutoConfiguration.class, LiteLlmCacheMetricsAutoConfiguration.class))
            .withUserConfiguration(SimpleRegistryConfiguration.class)
            .withPropertyValues("litellm.openai.api-key=sk-metrics-test");

    private static EmbeddingRequest embed(String... input) {
        return EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input(List.of(input))
                .build();
    }

    private static double requests(MeterRegistry registry, CacheOutcome result, String callType) {
        return registry.get(MicrometerCacheMetrics.REQUESTS)
                .tag("result", result.tagValue())
                .tag("call.type", callType)
                .counter()
                .count();
    }

    @Test
    void countsHitsMissesAndBypassesPerCallType() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            service.completion(question("one"));
            service.completion(question("one"));
            service.completion(question("one"));
            service.completion(ChatCompletionRequest.builder()
                    .model("gpt-4o-mini")
                    .message(ChatMessage.user("one"))
                    .caching(false)
                    .build());
            service.acompletion(question("two")).block();
            service.acompletion(question("two")).block();
            service.embedding(embed("a"));
            service.embedding(embed("a"));
            service.aembedding(embed("b")).block();
            service.aembedding(embed("a", "b")).block();
            service.aembedding(EmbeddingRequest.builder()
                            .model("text-embedding-3-small")
                            .input("a")
                            .caching(false)
                            .build())
                    .block();

            assertThat(requests(registry, CacheOutcome.MISS, "completion")).isEqualTo(1);
            assertThat(requests(registry, CacheOutcome.HIT, "completion")).isEqualTo(2);
            assertThat(requests(registry, CacheOutcome.BYPASS, "completion")).isEqualTo(1);
            assertThat(requests(registry, CacheOutcome.MISS, "acompletion")).isEqualTo(1);
            assertThat(requests(registry, CacheOutcome.HIT, "acompletion")).isEqualTo(1);
            assertThat(requests(registry, CacheOutcome.BYPASS, "acompletion")).isZero();
            assertThat(requests(registry, CacheOutcome.MISS, "embedding")).isEqualTo(1);
            assertThat(requests(registry, CacheOutcome.HIT, "embedding")).isEqualTo(1);
            assertThat(requests(registry, CacheOutcome.BYPASS, "embedding")).isZero();
            assertThat(requests(registry, CacheOutcome.MISS, "aembedding")).isEqualTo(1);
            assertThat(requests(registry, CacheOutcome.HIT, "aembedding")).isEqualTo(1);
            assertThat(requests(registry, CacheOutcome.BYPASS, "aembedding")).isEqualTo(1);
            assertThat(registry.get(MicrometerCacheMetrics.REQUESTS).counters())
                    .hasSize(CallType.values().length * CacheOutcome.values().length);
        });
    }

    @Test
    void anEntryPastItsTtlAnsweringAFailingProviderCountsAsStale() {
        this.contextRunner
                .withPropertyValues("litellm.cache.ttl=200ms", "litellm.cache.stale-if-error=1h")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    service.completion(question("stale one"));
                    Thread.sleep(400);
                    this.provider.fail(503, "{\"error\":{\"message\":\"overloaded\"}}");
                    service.completion(question("stale one"));

                    assertThat(requests(registry, CacheOutcome.STALE, "completion"))
                            .isEqualTo(1);
                    assertThat(requests(registry, CacheOutcome.HIT, "completion"))
                            .isZero();
                    assertThat(requests(registry, CacheOutcome.MISS, "completion"))
                            .isEqualTo(1);
                });
    }

    @Test
    void missesThatTheProviderFailsCountAsMissesSoTheHitRatioFallsDuringAnOutage() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            service.completion(question("cached"));
            service.completion(question("cached"));
            this.provider.fail(503, "{\"error\":{\"message\":\"overloaded\"}}");
            for (int i = 0; i < 3; i++) {
                String text = "during the outage " + i;
                assertThatExceptionOfType(LlmException.class).isThrownBy(() -> service.completion(question(text)));
            }
            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> service.acompletion(question("async during the outage"))
                            .block());
            assertThatExceptionOfType(LlmException.class).isThrownBy(() -> service.embedding(embed("not cached")));
            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> service.completion(question("bypassing", request -> request.caching(false))));

            assertThat(requests(registry, CacheOutcome.HIT, "completion")).isEqualTo(1);
            assertThat(requests(registry, CacheOutcome.MISS, "completion")).isEqualTo(1 + 3);
            assertThat(requests(registry, CacheOutcome.MISS, "acompletion")).isEqualTo(1);
            assertThat(requests(registry, CacheOutcome.MISS, "embedding")).isEqualTo(1);
            assertThat(requests(registry, CacheOutcome.BYPASS, "completion")).isEqualTo(1);
            assertThat(context.getBean(CacheStatistics.class).counts().misses()).isEqualTo(1 + 3 + 1 + 1);
        });
    }

    @Test
    void disabledCacheAndUnsupportedCallTypesCountAsBypasses() {
        this.contextRunner
                .withPropertyValues("litellm.cache.supported-call-types=completion")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    service.acompletion(question("not supported")).block();
                    service.acompletion(question("not supported")).block();
                    context.getBean(LlmCache.class).disable();
                    service.completion(question("disabled"));
                    assertThat(requests(registry, CacheOutcome.BYPASS, "acompletion"))
                            .isEqualTo(2);
                    assertThat(requests(registry, CacheOutcome.BYPASS, "completion"))
                            .isEqualTo(1);
                    assertThat(requests(registry, CacheOutcome.MISS, "completion"))
                            .isZero();
                });
    }

    @Test
    void tokensSavedAreTheUsageOfTheCachedResponsesServed() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            List<LlmResponse> responses = new ArrayList<>();
            responses.add(service.completion(question("cheap")));
            responses.add(service.completion(question("cheap")));
            responses.add(service.completion(question("other")));
            responses.add(service.acompletion(question("other")).block());
            responses.add(service.acompletion(question("other")).block());
            responses.add(service.embedding(embed("x", "yy")));
            responses.add(service.aembedding(embed("yy", "x")).block());
            responses.add(service.completion(question("fresh")));

            long served = responses.stream()
                    .filter(LlmResponse::cacheHit)
                    .mapToLong(response -> response.usage().totalTokens())
                    .sum();
            assertThat(responses).filteredOn(LlmResponse::cacheHit).hasSize(4);
            assertThat(served).isPositive();
            assertThat(registry.get(MicrometerCacheMetrics.TOKENS_SAVED)
                            .counter()
                            .count())
                    .isEqualTo((double) served);
        });
    }

    @Test
    void tokensSavedByAPartlyCachedEmbeddingAreThoseOfItsCachedItems() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            service.embedding(embed("x", "yy"));

            EmbeddingResponse partlyCached = service.embedding(embed("x", "yy", "zzz"));
            EmbeddingResponse cached = service.embedding(embed("yy", "x"));

            assertThat(partlyCached.cacheHit()).isFalse();
            assertThat(cached.cacheHit()).isTrue();
            assertThat(cached.usage().totalTokens()).isPositive();
            assertThat(registry.get(MicrometerCacheMetrics.TOKENS_SAVED)
                            .counter()
                            .count())
                    .as("the cached items' tokens, saved by both calls")
                    .isEqualTo(2.0 * cached.usage().totalTokens());
        });
    }

    @Test
    void latencyOfReadsAndWritesIsTimedPerBackendAndOperation() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            service.completion(question("timed"));
            service.completion(question("timed"));
            Timer reads = registry.get(MicrometerCacheMetrics.LATENCY)
                    .tag("backend", "local")
                    .tag("operation", "read")
                    .timer();
            Timer writes = registry.get(MicrometerCacheMetrics.LATENCY)
                    .tag("backend", "local")
                    .tag("operation", "write")
                    .timer();
            // A miss reads twice: once, then again as the leader of its flight, before it writes.
            assertThat(reads.count()).isEqualTo(3);
            assertThat(writes.count()).isEqualTo(1);
            assertThat(reads.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get(MicrometerCacheMetrics.ERRORS)
                            .tag("backend", "local")
                            .tag("operation", "read")
                            .counter()
                            .count())
                    .isZero();
        });
    }

    @Test
    void readErrorsAreCountedWhileRedisIsDown() {
        try (RedisServer redis = RedisServer.launch()) {
            this.contextRunner
                    .withPropertyValues(
                            "litellm.cache.type=redis",
                            "litellm.cache.redis.host=127.0.0.1",
                            "litellm.cache.redis.port=" + redis.port(),
                            "litellm.cache.timeout=200ms")
                    .run(context -> {
                        connected(context.getBean(LlmCache.class));
                        CompletionService service = context.getBean(CompletionService.class);
                        MeterRegistry registry = context.getBean(MeterRegistry.class);
                        service.completion(question("before the outage"));
                        assertThat(service.completion(question("before the outage"))
                                        .cacheHit())
                                .isTrue();
                        redis.stop();
                        // Three failed reads after three answered ones: the last still reaches Redis, and opens the
                        // read breaker.
                        for (int i = 0; i < 2; i++) {
                            service.completion(question("during the outage " + i));
                        }
                        service.acompletion(question("during the outage")).block();

                        Counter readErrors = registry.get(MicrometerCacheMetrics.ERRORS)
                                .tag("backend", "redis")
                                .tag("operation", "read")
                                .counter();
                        assertThat(readErrors.count()).isEqualTo(3);
                        assertThat(registry.get(MicrometerCacheMetrics.ERRORS)
                                        .tag("backend", "redis")
                                        .tag("operation", "write")
                                        .counter()
                                        .count())
                                .isZero();
                        assertThat(registry.get(MicrometerCacheMetrics.LATENCY)
                                        .tag("backend", "redis")
                                        .tag("operation", "read")
                                        .timer()
                                        .count())
                                .isEqualTo(3 + 3);
                        assertThat(requests(registry, CacheOutcome.MISS, "completion"))
                                .isEqualTo(3);
                        assertThat(requests(registry, CacheOutcome.MISS, "acompletion"))
                                .isEqualTo(1);
                        assertThat(requests(registry, CacheOutcome.HIT, "completion"))
                                .isEqualTo(1);
                        assertThat(this.provider.requestCount()).isEqualTo(4);
                    });
        }
    }

    @Test
    void recordsNothingUntilBoundAndIntoEveryRegistryItIsBoundTo() {
        MicrometerCacheMetrics metrics = new MicrometerCacheMetrics();
        CacheRecorder recorder = metrics;
        recorder.recordCall(CallType.COMPLETION, CacheOutcome.HIT, 42);
        recorder.recordOperation("local", BackendOperation.READ, 1_000, false);
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        metrics.bindTo(first);
        metrics.bindTo(second);
        assertThat(first.get(MicrometerCacheMetrics.TOKENS_SAVED).counter().count())
                .isZero();
        assertThat(first.find(MicrometerCacheMetrics.LATENCY).timers()).isEmpty();

        recorder.recordCall(CallType.EMBEDDING, CacheOutcome.HIT, 7);
        recorder.recordOperation(
                "custom", BackendOperation.WRITE, Duration.ofMillis(3).toNanos(), true);
        for (SimpleMeterRegistry registry : List.of(first, second)) {
            assertThat(requests(registry, CacheOutcome.HIT, "embedding")).isEqualTo(1);
            assertThat(registry.get(MicrometerCacheMetrics.TOKENS_SAVED)
                            .counter()
                            .count())
                    .isEqualTo(7);
            assertThat(registry.get(MicrometerCacheMetrics.ERRORS)
                            .tag("backend", "custom")
                            .tag("operation", "write")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get(MicrometerCacheMetrics.LATENCY)
                            .tag("backend", "custom")
                            .timer()
                            .totalTime(TimeUnit.MILLISECONDS))
                    .isEqualTo(3);
        }
    }

    /** Waits until the first connection to Redis is made, which may take longer than the cache's timeout. */
    static void connected(LlmCache cache) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            cache.backend().get(new CacheKey(null, "warm-up"));
            return true;
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class SimpleRegistryConfiguration {

        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
