package io.github.litellmcache.benchmarks;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
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
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Redis cache hit through the injected {@link CompletionService} (the request of
 * {@link LocalCacheHitBenchmark}, built afresh each invocation) against a raw Lettuce {@code GET} of
 * the same stored bytes on the same redis-server, started by the benchmark on a free port
 * ({@link RedisServer}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RedisHitBenchmark {

    private RedisServer redis;

    private ConfigurableApplicationContext context;

    private CompletionService service;

    private List<String> texts;

    private RedisClient client;

    private StatefulRedisConnection<byte[], byte[]> connection;

    private RedisCommands<byte[], byte[]> raw;

    private byte[] storedKey;

    @Setup(Level.Trial)
    public void start() throws Exception {
        this.redis = RedisServer.launch();
        int port = this.redis.port();
        this.client = RedisClient.create("redis://127.0.0.1:" + port);
        this.connection = connectWhenReady(this.client);
        this.raw = this.connection.sync();
        this.context = application(port);
        this.service = this.context.getBean(CompletionService.class);
        this.texts = Conversations.texts(LocalCacheHitBenchmark.TURNS, LocalCacheHitBenchmark.TOTAL_CHARS, 42);
        ChatCompletion first = this.service.completion(Conversations.request(this.texts));
        ChatCompletion second = this.service.completion(Conversations.request(this.texts));
        if (first.cacheHit() || !second.cacheHit()) {
            throw new IllegalStateException("the second call must be a Redis hit");
        }
        this.storedKey = ("litellm:" + first.cacheKey()).getBytes(StandardCharsets.UTF_8);
        if (this.raw.get(this.storedKey) == null) {
            throw new IllegalStateException("the entry must be in Redis under " + new String(this.storedKey));
        }
    }

    /** The application with the mock provider and a Redis cache on a dedicated connection to {@code port}. */
    static ConfigurableApplicationContext application(int port, String... properties) {
        return new SpringApplicationBuilder(LocalCacheHitBenchmark.LiteLlmApplication.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "litellm.mock.enabled=true",
                        "litellm.mock.latency=0ms",
                        "litellm.cache.type=redis",
                        "litellm.cache.redis.host=127.0.0.1",
                        "litellm.cache.redis.port=" + port,
                        "spring.main.banner-mode=off",
                        "logging.level.root=warn")
                .properties(properties)
                .run();
    }

    @Benchmark
    public ChatCompletion redisHit() {
        return this.service.completion(Conversations.request(this.texts));
    }

    @Benchmark
    public byte[] rawLettuceGet() {
        return this.raw.get(this.storedKey);
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        this.context.close();
        this.connection.close();
        this.client.shutdown();
        this.redis.close();
    }

    /** A connection of {@code client}'s, once the server started by the benchmark accepts it. */
    static StatefulRedisConnection<byte[], byte[]> connectWhenReady(RedisClient client) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return client.connect(ByteArrayCodec.INSTANCE);
            } catch (RuntimeException notYet) {
                if (attempt > 100) {
                    throw notYet;
                }
                Thread.sleep(50);
            }
        }
    }
}
