package io.github.litellmcache.benchmarks;

import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
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
 * Building a chat request of {@code parameters} parameters of its own, as a client that passes a
 * caller's unknown JSON fields on does (the sample's endpoint, up to its 4 MB body). The time per
 * parameter should not grow with their number: with 100 times the parameters, about 100 times the time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ManyParametersBenchmark {

    /** Parameters set besides the model and the messages. */
    @Param({"1000", "100000"})
    public int parameters;

    private String[] names;

    @Setup
    public void setUp() {
        this.names = new String[this.parameters];
        for (int i = 0; i < this.parameters; i++) {
            this.names[i] = "field_" + i;
        }
    }

    @Benchmark
    public ChatCompletionRequest buildRequest() {
        ChatCompletionRequest.Builder builder =
                ChatCompletionRequest.builder().model("gpt-4o-mini").message(ChatMessage.user("hi"));
        for (int i = 0; i < this.parameters; i++) {
            builder.param(this.names[i], i);
        }
        return builder.build();
    }
}
