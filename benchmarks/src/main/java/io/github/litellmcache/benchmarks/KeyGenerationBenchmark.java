package io.github.litellmcache.benchmarks;

import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.cache.DefaultCacheKeyGenerator;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ProviderEndpoint;
import io.github.litellmcache.completion.ProviderRouter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link DefaultCacheKeyGenerator#generateKey} alone (canonical JSON of the route and parameters,
 * then SHA-256) for chat requests of about 1 KB, 10 KB and 100 KB of message text: a system prompt
 * and six alternating messages, with temperature and max_tokens. The request is built once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class KeyGenerationBenchmark {

    /** Characters of message text in the request. */
    @Param({"1024", "10240", "102400"})
    public int size;

    private DefaultCacheKeyGenerator generator;

    private ChatCompletionRequest request;

    private LengthPrefixedDigest lengthPrefixed;

    /** The default generator with the route of the benchmarked application: OpenAI at its public URL. */
    static DefaultCacheKeyGenerator defaultKeyGenerator() {
        return new DefaultCacheKeyGenerator(new ProviderRouter(
                new ProviderEndpoint("https://api.openai.com/v1", null, null), new ProviderEndpoint(null, null, null)));
    }

    @Setup(Level.Trial)
    public void setUp() {
        this.generator = defaultKeyGenerator();
        List<String> texts = Conversations.texts(LocalCacheHitBenchmark.TURNS, this.size, LocalCacheHitBenchmark.SEED);
        this.request = Conversations.request(texts);
        String key = this.generator.generateKey(CallType.COMPLETION, this.request);
        if (!key.matches("[0-9a-f]{64}")
                || !key.equals(this.generator.generateKey(CallType.COMPLETION, Conversations.request(texts)))) {
            throw new IllegalStateException("the key must be 64 hex characters and stable, got " + key);
        }
        this.lengthPrefixed = new LengthPrefixedDigest();
    }

    @Benchmark
    public String generateKey() {
        return this.generator.generateKey(CallType.COMPLETION, this.request);
    }

    /**
     * Not the library: a prototype of a cheaper canonical form (length-prefixed, no JSON) fed into the
     * same SHA-256, to show what the JSON costs at each size. See {@link LengthPrefixedDigest}.
     */
    @Benchmark
    public String prototypeLengthPrefixedKey() {
        return this.lengthPrefixed.key(
                "chat", "openai", "https://api.openai.com/v1", this.request.model(), this.request.params());
    }
}
