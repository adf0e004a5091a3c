package io.github.litellmcache.benchmarks;

import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.testsupport.RedisServer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
 * A fully cached 1,024-item embedding request (vectors of 1,536 dimensions) through the injected
 * {@link CompletionService} on Redis, against a raw Lettuce {@code MGET} of the same 1,024 stored keys on the same
 * redis-server, started by the benchmark on a free port ({@link RedisServer}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RedisEmbeddingItemsBenchmark {

    private static final int ITEMS = 1_024;

    private RedisServer redis;

    private ConfigurableApplicationContext context;

    private CompletionService service;

    private EmbeddingRequest request;

    private RedisClient client;

    private StatefulRedisConnection<byte[], byte[]> connection;

    private RedisCommands<byte[], byte[]> raw;

    private byte[][] storedKeys;

    @Setup(Level.Trial)
    public void start() throws Exception {
        this.redis = RedisServer.launch();
        this.client = RedisClient.create("redis://127.0.0.1:" + this.redis.port());
        this.connection = RedisHitBenchmark.connectWhenReady(this.client);
        this.raw = this.connection.sync();
        this.context = RedisHitBenchmark.application(this.redis.port(), "litellm.cache.timeout=5s");
        this.service = this.context.getBean(CompletionService.class);
        this.request = EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input(IntStream.range(0, ITEMS)
                        .mapToObj(i -> "a sentence embedded before, number " + i)
                        .toList())
                .dimensions(1_536)
                .build();
        this.service.embedding(this.request);
        if (!this.service.embedding(this.request).cacheHit()) {
            throw new IllegalStateException("the second call must be a Redis hit");
        }
        this.storedKeys =
                this.raw.keys("litellm:*".getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        if (this.storedKeys.length != ITEMS) {
            throw new IllegalStateException("Redis must hold the " + ITEMS + " items, holds " + this.storedKeys.length);
        }
    }

    @Benchmark
    public EmbeddingResponse redisEmbeddingHit() {
        return this.service.embedding(this.request);
    }

    @Benchmark
    public List<KeyValue<byte[], byte[]>> rawLettuceMget() {
        return this.raw.mget(this.storedKeys);
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        this.context.close();
        this.connection.close();
        this.client.shutdown();
        this.redis.close();
    }
}
