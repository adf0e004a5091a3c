package io.github.litellmcache.benchmarks;

import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
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
 * A cached embedding request of 2,048 token arrays of 1,000 tokens through the injected
 * {@link CompletionService} on the local cache: arrays crafted so that their {@code List.hashCode}s
 * are all equal (the same 998 tokens, then {@code i} and {@code 31 * 2048 - 31 * i}), as an attacker
 * would send them, against arrays of the same size whose hash codes differ. Both are whole hits, so
 * the time is the cache's own work on the items; the crafted arrays should cost about the same.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CollidingTokenArraysBenchmark {

    private static final int ITEMS = 2048;

    private ConfigurableApplicationContext context;

    private CompletionService service;

    private EmbeddingRequest colliding;

    private EmbeddingRequest distinct;

    @Setup(Level.Trial)
    public void start() {
        this.context = LocalCacheHitBenchmark.LiteLlmApplication.onMockProvider(
                "litellm.cache.local.maximum-size=100000", "litellm.cache.local.max-memory=512MB");
        this.service = this.context.getBean(CompletionService.class);
        this.colliding = request(i -> List.of(i, 31 * ITEMS - 31 * i));
        this.distinct = request(i -> List.of(i, i));
        for (EmbeddingRequest request : List.of(this.colliding, this.distinct)) {
            this.service.embedding(request);
            if (!this.service.embedding(request).cacheHit()) {
                throw new IllegalStateException("the request must be a whole hit");
            }
        }
    }

    @Benchmark
    public EmbeddingResponse collidingTokenArrays() {
        return this.service.embedding(this.colliding);
    }

    @Benchmark
    public EmbeddingResponse distinctTokenArrays() {
        return this.service.embedding(this.distinct);
    }

    @TearDown(Level.Trial)
    public void stop() {
        this.context.close();
    }

    /** 2,048 arrays of 998 zeros followed by the two tokens {@code tail} gives for each index. */
    private static EmbeddingRequest request(IntFunction<List<Integer>> tail) {
        List<List<Integer>> arrays = new ArrayList<>(ITEMS);
        for (int i = 0; i < ITEMS; i++) {
            List<Integer> array = new ArrayList<>(1000);
            for (int j = 0; j < 998; j++) {
                array.add(0);
            }
            array.addAll(tail.apply(i));
            arrays.add(array);
        }
        return EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .inputTokens(arrays)
                .dimensions(16)
                .build();
    }
}
