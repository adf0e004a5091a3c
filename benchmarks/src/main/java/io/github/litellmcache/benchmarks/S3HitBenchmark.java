package io.github.litellmcache.benchmarks;

import io.github.litellmcache.cache.S3Connection;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.S3ProxyServer;
import java.net.URI;
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
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 cache hit through the injected {@link CompletionService} (the request of
 * {@link LocalCacheHitBenchmark}, built afresh each invocation) against a raw {@code GetObject} of
 * the same object with the same kind of client (the AWS SDK's blocking client on Apache HttpClient 5), on an
 * in-process s3proxy started by the benchmark ({@link S3ProxyServer}). The warm-up is long: s3proxy's own server (in the
 * same JVM) speeds up for half a minute.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class S3HitBenchmark {

    private static final String BUCKET = "llm-cache";

    private S3ProxyServer server;

    private S3Client raw;

    private ConfigurableApplicationContext context;

    private CompletionService service;

    private List<String> texts;

    private String objectKey;

    @Setup(Level.Trial)
    public void start() throws Exception {
        this.server = S3ProxyServer.launch();
        URI endpoint = this.server.endpoint();
        this.raw = this.server.client();
        this.server.createBucket(BUCKET);
        this.context = new SpringApplicationBuilder(LocalCacheHitBenchmark.LiteLlmApplication.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "litellm.mock.enabled=true",
                        "litellm.mock.latency=0ms",
                        "litellm.cache.type=s3",
                        "litellm.cache.timeout=2s",
                        "litellm.cache.s3.bucket-name=" + BUCKET,
                        "litellm.cache.s3.region-name=us-east-1",
                        "litellm.cache.s3.endpoint-url=" + endpoint,
                        "litellm.cache.s3.aws-access-key-id=" + S3ProxyServer.ACCESS_KEY,
                        "litellm.cache.s3.aws-secret-access-key=" + S3ProxyServer.SECRET_KEY,
                        "spring.main.banner-mode=off",
                        "logging.level.root=warn")
                .run();
        this.service = this.context.getBean(CompletionService.class);
        this.texts = Conversations.texts(LocalCacheHitBenchmark.TURNS, LocalCacheHitBenchmark.TOTAL_CHARS, 42);
        ChatCompletion first = this.service.completion(Conversations.request(this.texts));
        ChatCompletion second = this.service.completion(Conversations.request(this.texts));
        if (first.cacheHit() || !second.cacheHit()) {
            throw new IllegalStateException("the second call must be an S3 hit");
        }
        this.objectKey = S3Connection.DEFAULT_PATH + "/" + first.cacheKey();
        if (rawGetObject().length == 0) {
            throw new IllegalStateException("the entry must be in the bucket under " + this.objectKey);
        }
    }

    @Benchmark
    public ChatCompletion s3Hit() {
        return this.service.completion(Conversations.request(this.texts));
    }

    @Benchmark
    public byte[] rawGetObject() {
        return this.raw
                .getObjectAsBytes(request -> request.bucket(BUCKET).key(this.objectKey))
                .asByteArray();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        this.context.close();
        this.server.close();
    }
}
