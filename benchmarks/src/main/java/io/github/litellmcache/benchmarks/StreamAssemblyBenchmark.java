package io.github.litellmcache.benchmarks;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionChunks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ChatCompletionChunks#assemble} of a reasoning model's stream of {@code chunks} chunks, each
 * with a piece of {@code reasoning_content} and a {@code logprobs} token: what every streamed call
 * does when it ends, to report and store its answer. The time per chunk should not grow with the
 * stream's length: with 10 times the chunks, about 10 times the time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class StreamAssemblyBenchmark {

    /** Chunks in the stream. */
    @Param({"2000", "20000"})
    public int chunks;

    private List<ChatCompletionChunk> stream;

    @Setup
    public void setUp() {
        Map<String, Object> logprobs = Map.of("content", List.of(Map.of("token", "step", "logprob", -0.25)));
        this.stream = new ArrayList<>(this.chunks);
        for (int i = 0; i < this.chunks; i++) {
            ChatCompletionChunk.Delta delta =
                    new ChatCompletionChunk.Delta(null, null, null, Map.of("reasoning_content", "step " + i + " "));
            String finishReason = (i == this.chunks - 1) ? "stop" : null;
            this.stream.add(new ChatCompletionChunk(
                    "chatcmpl-1",
                    1L,
                    "m",
                    List.of(new ChatCompletionChunk.Choice(0, delta, finishReason, Map.of("logprobs", logprobs))),
                    null,
                    false));
        }
    }

    @Benchmark
    public ChatCompletion assemble() {
        return ChatCompletionChunks.assemble(this.stream);
    }
}
