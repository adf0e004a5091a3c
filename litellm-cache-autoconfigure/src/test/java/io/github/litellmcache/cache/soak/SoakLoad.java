package io.github.litellmcache.cache.soak;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.testsupport.OpenAiFake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Callers on a fixed pool of platform threads (the project runs on Java 17), each calling a {@link CompletionService}
 * in a loop with a random one of the {@link SoakRequests} and a random one of the five calls, until stopped. Every
 * answer is checked against its request (the fake echoes the prompt and derives each vector from its input), and
 * every call is timed and counted, as a hit or a miss, in the {@linkplain #phase(String) phase} it started in.
 */
final class SoakLoad {

    /** The calls a caller mixes, as {@link io.github.litellmcache.cache.CallType} names them. */
    enum Call {
        COMPLETION,
        ACOMPLETION,
        EMBEDDING,
        AEMBEDDING,
        STREAM
    }

    /** The longest a reactive call is awaited before it counts as a failure, so that a hang cannot hang the test. */
    private static final Duration CALL_CAP = Duration.ofSeconds(60);

    /** A caller waits between zero and this long between two calls, half of it on average. */
    private static final Duration MAX_THINK_TIME = Duration.ofMillis(200);

    private final CompletionService service;
    private final SoakRequests requests;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService threads;
    private final List<Future<?>> callers = new ArrayList<>();
    /** The phases in the order they were entered; only the thread driving the load touches it. */
    private final Map<String, Phase> phases = Collections.synchronizedMap(new LinkedHashMap<>());

    private final Examples failures = new Examples();
    private final Examples wrongAnswers = new Examples();
    private final Map<Call, LongAdder> callsByType = new ConcurrentHashMap<>();
    private final Latencies latencies = new Latencies();
    private final AtomicLong stallNanos = new AtomicLong();
    private volatile Phase phase;
    private int stuck;

    private SoakLoad(CompletionService service, SoakRequests requests, int callers, String firstPhase) {
        this.service = service;
        this.requests = requests;
        this.phase = phase(firstPhase);
        this.threads = Executors.newFixedThreadPool(callers);
        for (int i = 0; i < callers; i++) {
            this.callers.add(this.threads.submit(this::callUntilStopped));
        }
        Thread probe = new Thread(this::probeStalls, "soak-stall-probe");
        probe.setDaemon(true);
        probe.start();
    }

    /**
     * Sleeps a millisecond at a time while the load runs and keeps the longest oversleep: how long the machine (other
     * processes, the callers, garbage collection) kept a ready thread from running, a delay no cache setting causes.
     */
    private void probeStalls() {
        while (this.running.get()) {
            long start = System.nanoTime();
            try {
                Thread.sleep(1);
            } catch (InterruptedException ex) {
                return;
            }
            this.stallNanos.accumulateAndGet(System.nanoTime() - start - 1_000_000, Math::max);
        }
    }

    /** Starts {@code callers} callers, counting their calls in {@code firstPhase}. */
    static SoakLoad start(CompletionService service, SoakRequests requests, int callers, String firstPhase) {
        return new SoakLoad(service, requests, callers, firstPhase);
    }

    /** Counts the calls that start from now on in the phase {@code name}. */
    void enter(String name) {
        this.phase = phase(name);
    }

    private Phase phase(String name) {
        return this.phases.computeIfAbsent(name, Phase::new);
    }

    /** Stops calling; a caller still in a call {@code grace} later counts as stuck. */
    void stop(Duration grace) throws Exception {
        this.running.set(false);
        long deadline = System.nanoTime() + grace.toNanos();
        for (Future<?> caller : this.callers) {
            try {
                caller.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException stillCalling) {
                this.stuck++;
            }
        }
        this.threads.shutdownNow();
    }

    private void callUntilStopped() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (this.running.get()) {
            pause(random);
            SoakRequests.Subject subject = this.requests.get(random.nextInt(this.requests.size()));
            Call call = Call.values()[random.nextInt(Call.values().length)];
            Phase phase = this.phase;
            long start = System.nanoTime();
            try {
                boolean hit = call(call, subject);
                phase.count(hit);
            } catch (Throwable error) {
                this.failures.add(call + " " + subject.prompt() + ": " + error);
                phase.failed.increment();
            }
            this.latencies.record(System.nanoTime() - start);
            this.callsByType.computeIfAbsent(call, c -> new LongAdder()).increment();
        }
    }

    /**
     * A caller's think time between two calls, up to {@link #MAX_THINK_TIME}: callers that never pause would keep
     * every core busy, and then measure how long a call waits for a core rather than what the cache makes it wait.
     */
    private static void pause(ThreadLocalRandom random) {
        try {
            Thread.sleep(random.nextLong(MAX_THINK_TIME.toMillis() + 1));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes one call and checks its answer; whether it was a hit. */
    private boolean call(Call call, SoakRequests.Subject subject) {
        return switch (call) {
            case COMPLETION -> checked(this.service.completion(subject.chat()), subject);
            case ACOMPLETION -> checked(this.service.acompletion(subject.chat()).block(CALL_CAP), subject);
            case EMBEDDING -> checked(this.service.embedding(subject.embedding()), subject);
            case AEMBEDDING ->
                checked(this.service.aembedding(subject.embedding()).block(CALL_CAP), subject);
            case STREAM ->
                checked(
                        this.service
                                .streamCompletion(subject.chat())
                                .collectList()
                                .block(CALL_CAP),
                        subject);
        };
    }

    private boolean checked(ChatCompletion answer, SoakRequests.Subject subject) {
        expect(answer.content() != null && answer.content().endsWith(" to " + subject.prompt()), subject, answer);
        return answer.cacheHit();
    }

    private boolean checked(EmbeddingResponse answer, SoakRequests.Subject subject) {
        List<String> inputs = subject.inputs();
        boolean right = answer.data().size() == inputs.size();
        for (int i = 0; right && i < inputs.size(); i++) {
            EmbeddingResponse.Embedding item = answer.data().get(i);
            right = item.index() == i && Arrays.equals(item.embedding(), OpenAiFake.vectorArrayOf(inputs.get(i)));
        }
        expect(right, subject, answer.data());
        return answer.cacheHit();
    }

    private boolean checked(List<ChatCompletionChunk> chunks, SoakRequests.Subject subject) {
        String content = chunks.stream()
                .map(ChatCompletionChunk::content)
                .filter(text -> text != null)
                .collect(Collectors.joining());
        boolean oneStream =
                chunks.stream().map(ChatCompletionChunk::id).distinct().count() == 1;
        expect(oneStream && content.endsWith(" to " + subject.prompt()), subject, content);
        return chunks.stream().allMatch(ChatCompletionChunk::cacheHit);
    }

    private void expect(boolean right, SoakRequests.Subject subject, Object answer) {
        if (!right) {
            this.wrongAnswers.add("for " + subject.prompt() + ": " + answer);
        }
    }

    /** The calls that threw; the first few, described. */
    Examples failures() {
        return this.failures;
    }

    /** The answers that did not answer their request; the first few, described. */
    Examples wrongAnswers() {
        return this.wrongAnswers;
    }

    /** Callers still in a call when {@link #stop} gave up waiting. */
    int stuck() {
        return this.stuck;
    }

    Phase figures(String phase) {
        return phase(phase);
    }

    /** The phases in the order they were entered. */
    List<Phase> phases() {
        return List.copyOf(this.phases.values());
    }

    long calls() {
        return this.phases.values().stream().mapToLong(Phase::calls).sum();
    }

    long hits() {
        return this.phases.values().stream()
                .mapToLong(phase -> phase.hits.sum())
                .sum();
    }

    long calls(Call call) {
        return this.callsByType.getOrDefault(call, new LongAdder()).sum();
    }

    /** The longest a ready thread waited to run while the load ran. */
    Duration longestStall() {
        return Duration.ofNanos(this.stallNanos.get());
    }

    Duration slowest() {
        return this.latencies.max();
    }

    Duration percentile(double percent) {
        return this.latencies.percentile(percent);
    }

    /** The calls that started in one phase. */
    static final class Phase {

        private final String name;
        private final LongAdder hits = new LongAdder();
        private final LongAdder misses = new LongAdder();
        private final LongAdder failed = new LongAdder();

        private Phase(String name) {
            this.name = name;
        }

        private void count(boolean hit) {
            (hit ? this.hits : this.misses).increment();
        }

        long calls() {
            return this.hits.sum() + this.misses.sum() + this.failed.sum();
        }

        long hits() {
            return this.hits.sum();
        }

        @Override
        public String toString() {
            return this.name + " " + calls() + " calls/" + hits() + " hits";
        }
    }

    /** A count of events, with the first few described (an outage could otherwise keep thousands). */
    static final class Examples {

        private static final int KEPT = 10;

        private final AtomicLong count = new AtomicLong();
        private final ConcurrentLinkedQueue<String> first = new ConcurrentLinkedQueue<>();

        private void add(String description) {
            if (this.count.incrementAndGet() <= KEPT) {
                this.first.add(description);
            }
        }

        long count() {
            return this.count.get();
        }

        @Override
        public String toString() {
            return this.count.get() + ", first: " + this.first;
        }
    }

    /** Call durations in a histogram of one-millisecond buckets, and the exact longest. */
    private static final class Latencies {

        private static final int BUCKETS = 120_000;

        private final AtomicLongArray millis = new AtomicLongArray(BUCKETS);
        private final AtomicLong maxNanos = new AtomicLong();

        void record(long nanos) {
            this.millis.incrementAndGet((int) Math.min(BUCKETS - 1, TimeUnit.NANOSECONDS.toMillis(nanos)));
            this.maxNanos.accumulateAndGet(nanos, Math::max);
        }

        Duration max() {
            return Duration.ofNanos(this.maxNanos.get());
        }

        /** The smallest duration, to the millisecond above, that {@code percent} of the calls did not exceed. */
        Duration percentile(double percent) {
            long total = 0;
            for (int i = 0; i < BUCKETS; i++) {
                total += this.millis.get(i);
            }
            long wanted = (long) Math.ceil(total * percent / 100);
            long seen = 0;
            for (int i = 0; i < BUCKETS; i++) {
                seen += this.millis.get(i);
                if (seen >= wanted) {
                    return Duration.ofMillis(i + 1);
                }
            }
            return max();
        }
    }
}
