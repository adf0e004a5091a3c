package io.github.litellmcache.benchmarks;

import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import java.util.ArrayList;
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
 * A 100-item embedding request through the injected {@link CompletionService} on the local cache,
 * with half of its items cached (the other half new in every invocation) against the same request
 * with none cached. The provider is the built-in mock with {@code litellm.mock.latency} of 20 ms
 * per request, standing for the provider's round trip; its vectors have 256 dimensions.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class EmbeddingItemsBenchmark {

    private static final int ITEMS = 100;

    private ConfigurableApplicationContext context;

    private CompletionService service;

    private List<String> cached;

    private long fresh;

    @Setup(Level.Trial)
    public void start() {
        this.context = LocalCacheHitBenchmark.LiteLlmApplication.onMockProvider(
                "litellm.mock.latency=20ms", "litellm.cache.local.maximum-size=10000000");
        this.service = this.context.getBean(CompletionService.class);
        this.cached = new ArrayList<>();
        for (int i = 0; i < ITEMS / 2; i++) {
            this.cached.add("a sentence that was embedded before, number " + i);
        }
        this.service.embedding(request(this.cached));
        if (!this.service.embedding(request(this.cached)).cacheHit()) {
            throw new IllegalStateException("the cached half must be a full hit");
        }
    }

    @Benchmark
    public EmbeddingResponse halfCached() {
        List<String> input = new ArrayList<>(ITEMS);
        for (int i = 0; i < ITEMS / 2; i++) {
            input.add(this.cached.get(i));
            input.add(newItem());
        }
        return this.service.embedding(request(input));
    }

    @Benchmark
    public EmbeddingResponse noneCached() {
        List<String> input = new ArrayList<>(ITEMS);
        for (int i = 0; i < ITEMS; i++) {
            input.add(newItem());
        }
        return this.service.embedding(request(input));
    }

    @TearDown(Level.Trial)
    public void stop() {
        this.context.close();
    }

    private String newItem() {
        return "a sentence never embedded before, number " + (this.fresh++);
    }

    private static EmbeddingRequest request(List<String> input) {
        return EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input(input)
                .dimensions(256)
                .build();
    }
}
