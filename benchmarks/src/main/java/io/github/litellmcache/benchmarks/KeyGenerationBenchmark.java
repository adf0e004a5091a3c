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
 * {@link DefaultCacheKeyGenerator#generateKey} alone for chat requests of about 1 KB, 10 KB and
 * 100 KB of message text: a system prompt and six alternating messages, with temperature and
 * max_tokens. {@code generateKey} computes the key of a request the generator has not seen
 * (canonical JSON of the route and parameters, then SHA-256): each invocation takes the next of
 * {@value #DISTINCT} prebuilt requests that differ in their {@code seed}, more than the generator
 * remembers. {@code generateKeyRepeated} asks for the key of a request equal to one seen before
 * but built from copies of its text, as a repeated request arriving over the network is: the
 * generator remembers keys of requests with up to 8 K characters of text, compared with
 * {@code equals}; larger ones are digested again.
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

    /** Requests cycled through by {@code generateKey}: twice what the generator remembers. */
    static final int DISTINCT = 8_192;

    private ChatCompletionRequest request;

    private ChatCompletionRequest repeated;

    private ChatCompletionRequest[] distinct;

    private int next;

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
        this.repeated = Conversations.request(texts.stream().map(String::new).toList());
        String key = this.generator.generateKey(CallType.COMPLETION, this.request);
        if (!key.matches("[0-9a-f]{64}")
                || !key.equals(this.generator.generateKey(CallType.COMPLETION, Conversations.request(texts)))) {
            throw new IllegalStateException("the key must be 64 hex characters and stable, got " + key);
        }
        this.distinct = new ChatCompletionRequest[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            this.distinct[i] =
                    Conversations.requestBuilder(texts).seed((long) i).build();
        }
    }

    @Benchmark
    public String generateKey() {
        this.next = (this.next + 1) % DISTINCT;
        return this.generator.generateKey(CallType.COMPLETION, this.distinct[this.next]);
    }

    @Benchmark
    public String generateKeyRepeated() {
        return this.generator.generateKey(CallType.COMPLETION, this.repeated);
    }
}
