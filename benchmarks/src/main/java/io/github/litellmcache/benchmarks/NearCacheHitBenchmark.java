package io.github.litellmcache.benchmarks;

import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.near.NearCacheBackend;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.RedisServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Redis-backed hit answered by the near tier ({@code litellm.cache.near.enabled=true}) through the injected
 * {@link CompletionService}: the request of {@link LocalCacheHitBenchmark}, built afresh each invocation, on a
 * dedicated connection to a redis-server started by the benchmark ({@link RedisServer}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class NearCacheHitBenchmark {

    private RedisServer redis;

    private ConfigurableApplicationContext context;

    private CompletionService service;

    private List<String> texts;

    @Setup(Level.Trial)
    public void start() throws InterruptedException {
        this.redis = RedisServer.launch();
        this.context = RedisHitBenchmark.application(this.redis.port(), "litellm.cache.near.enabled=true");
        this.service = this.context.getBean(CompletionService.class);
        NearCacheBackend near =
                (NearCacheBackend) this.context.getBean(LlmCache.class).backend();
        for (int attempt = 0; !near.isNearTierInUse(); attempt++) {
            if (attempt > 200) {
                throw new IllegalStateException("the near tier's tracking connection did not start");
            }
            Thread.sleep(50);
        }
        this.texts = Conversations.texts(LocalCacheHitBenchmark.TURNS, LocalCacheHitBenchmark.TOTAL_CHARS, 42);
        ChatCompletion first = this.service.completion(Conversations.request(this.texts));
        CacheKey key = new CacheKey(null, first.cacheKey());
        for (int attempt = 0; near.nearEntry(key) == null; attempt++) {
            if (first.cacheHit()
                    || attempt > 100
                    || !this.service
                            .completion(Conversations.request(this.texts))
                            .cacheHit()) {
                throw new IllegalStateException("the calls after the first must be Redis hits that fill the near tier");
            }
            Thread.sleep(10);
        }
    }

    @Benchmark
    public ChatCompletion nearHit() {
        return this.service.completion(Conversations.request(this.texts));
    }

    @TearDown(Level.Trial)
    public void stop() {
        this.context.close();
        this.redis.close();
    }
}
