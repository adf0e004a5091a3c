package io.github.litellmcache.testsupport;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Eight threads calling a {@link CompletionService} with a few repeated prompts, blocking and
 * reactive in turn, until stopped: counts the calls, keeps the slowest call's duration and every
 * failure, a wrong answer included (the fake answers "... to &lt;prompt&gt;").
 */
public final class CallLoad {

    private static final int THREADS = 8;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong slowestNanos = new AtomicLong();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    private final List<Future<?>> workers = new ArrayList<>();

    private CallLoad(CompletionService service) {
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            this.workers.add(this.threads.submit(() -> call(service, thread)));
        }
    }

    /** Starts calling. */
    public static CallLoad start(CompletionService service) {
        return new CallLoad(service);
    }

    /** Calls for a second and stops, so that connections and JIT are warm before anything is measured. */
    public static CallLoad warmUp(CompletionService service) throws Exception {
        CallLoad load = start(service);
        Thread.sleep(1_000);
        load.stop();
        return load;
    }

    private void call(CompletionService service, int thread) {
        int i = 0;
        while (this.running.get()) {
            String prompt = "load " + thread + "-" + (i % 3);
            ChatCompletionRequest request = ChatCompletionRequest.of("gpt-4o-mini", List.of(ChatMessage.user(prompt)));
            long start = System.nanoTime();
            try {
                ChatCompletion answer = (i % 2 == 0)
                        ? service.completion(request)
                        : service.acompletion(request).block();
                if (!answer.content().endsWith(prompt)) {
                    this.failures.add(new AssertionError("wrong answer for " + prompt));
                }
            } catch (Throwable error) {
                this.failures.add(error);
            }
            this.slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
            this.calls.incrementAndGet();
            i++;
        }
    }

    /** Stops calling and waits for the threads. */
    public void stop() throws Exception {
        this.running.set(false);
        for (Future<?> worker : this.workers) {
            worker.get();
        }
        this.threads.shutdown();
    }

    public long calls() {
        return this.calls.get();
    }

    public Duration slowest() {
        return Duration.ofNanos(this.slowestNanos.get());
    }

    public List<Throwable> failures() {
        return List.copyOf(this.failures);
    }
}
