package io.github.litellmcache.cache.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A soak of one backend: {@value #CALLERS} callers mix {@code completion}, {@code acompletion}, {@code embedding},
 * {@code aembedding} and {@code streamCompletion} over {@value #REQUESTS} distinct requests with per-request cache
 * options ({@link SoakRequests}) for {@link #DURATION} (20 s; the system property {@code litellm.soak.seconds}
 * lengthens it), while the backend's {@link #faults()} are injected one after the other and recovered from. Then no
 * call failed, no answer answered another request, no call took longer than {@link #BUDGET}, and hits resumed: in
 * the last phase of the load (where an answer shared by a single flight also counts as a hit), and for every kind
 * of call repeated after the load. The figures are printed as one line starting with {@code SOAK}.
 */
public abstract class AbstractCacheSoakTests extends AbstractCachedApplicationTests {

    static final int CALLERS = 200;

    static final int REQUESTS = 50;

    static final Duration DURATION = Duration.ofSeconds(Long.getLong("litellm.soak.seconds", 20));

    static final Duration PROVIDER_LATENCY = Duration.ofMillis(50);

    static final Duration TIMEOUT = Duration.ofMillis(250);

    static final Duration COOLDOWN = Duration.ofMillis(500);

    /**
     * Scheduling noise, not the cache's: {@value #CALLERS} caller threads, the provider fake, the store (s3proxy runs
     * in this JVM, with its own threads and the proxy's) and other builds share two cores on the machines that run
     * this, at load averages of 12 to 32. There, the slowest call took up to 5 s with the local backend, where no call
     * waits for a store, and up to 6.9 s with S3, whose calls hand over between more threads; the slow calls caught in
     * the act were waiting for the provider fake's answer. Ten seconds stays well below the waits that a missing
     * deadline would show: Lettuce's 60 s command timeout, the AWS SDK's 30 s socket timeout, or a call left waiting
     * for a hung store or flight leader.
     */
    static final Duration MARGIN = Duration.ofSeconds(10);

    /**
     * The longest a call may take: the provider's latency, plus three backend operations each bounded by the timeout
     * (the first read, the flight leader's second look, the write), plus the margin. A follower of a single flight
     * waits at most for what is left of its leader's call, within the same bound. The warm-up wait of a remote
     * backend ({@code RemoteProtection.WARM_UP_DEADLINE}) happens once, before the load, and is not in it.
     */
    static final Duration BUDGET =
            PROVIDER_LATENCY.plus(TIMEOUT.multipliedBy(3)).plus(MARGIN);

    /** The load before the first fault and after the last recovery. */
    private static final Duration STEADY = Duration.ofSeconds(2);

    private static final Duration RECOVERED = Duration.ofSeconds(4);

    private static final Duration WARM_UP = Duration.ofSeconds(1);

    /** A fault of the store, injected while callers call and recovered from before the next one. */
    protected record Fault(String name, Runnable inject, Runnable recover) {}

    /** {@link #applicationRunner()} on the backend under test. */
    protected abstract ApplicationContextRunner backendRunner();

    /** The faults injected during the load, in order. */
    protected abstract List<Fault> faults();

    /** The backend's name in the printed figures. */
    protected abstract String backendName();

    @Test
    void callersMixingEveryCallThroughStoreFaultsGetTheirOwnAnswersWithinTheBudgetAndHitsResume() {
        this.provider.latency(PROVIDER_LATENCY);
        SoakRequests requests = SoakRequests.of(REQUESTS);
        backendRunner()
                .withPropertyValues(
                        "litellm.cache.timeout=" + TIMEOUT.toMillis() + "ms",
                        "litellm.cache.cooldown=" + COOLDOWN.toMillis() + "ms")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    warmUp(service, requests);
                    SoakLoad load = SoakLoad.start(service, requests, CALLERS, "steady");
                    long start = System.nanoTime();
                    try {
                        inject(load);
                    } finally {
                        load.stop(BUDGET.plus(Duration.ofSeconds(10)));
                    }
                    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                    Duration hitsAgainAfter = hitsResume(service);
                    System.out.println(summary(load, elapsed, hitsAgainAfter));
                    assertThat(load.stuck()).as("callers stuck in a call").isZero();
                    assertThat(load.failures().count())
                            .as("failed calls: %s", load.failures())
                            .isZero();
                    assertThat(load.wrongAnswers().count())
                            .as("wrong answers: %s", load.wrongAnswers())
                            .isZero();
                    assertThat(load.slowest()).as("the slowest call").isLessThanOrEqualTo(BUDGET);
                    assertThat(load.figures("recovered").hits())
                            .as("hits after the last recovery")
                            .isPositive();
                    assertThat(load.calls(SoakLoad.Call.STREAM)).as("streams").isPositive();
                });
    }

    /**
     * Spreads the faults over the load: steady calls, then for each fault an equal time injected and an equal time
     * recovered, then the recovered phase.
     */
    private void inject(SoakLoad load) throws InterruptedException {
        List<Fault> faults = faults();
        Duration faulty = DURATION.minus(STEADY).minus(RECOVERED);
        Duration each = faults.isEmpty() ? Duration.ZERO : faulty.dividedBy(2L * faults.size());
        Thread.sleep(faults.isEmpty() ? DURATION.minus(RECOVERED).toMillis() : STEADY.toMillis());
        for (Fault fault : faults) {
            load.enter(fault.name());
            fault.inject().run();
            Thread.sleep(each.toMillis());
            load.enter("after " + fault.name());
            fault.recover().run();
            Thread.sleep(each.toMillis());
        }
        load.enter("recovered");
        Thread.sleep(RECOVERED.toMillis());
    }

    /** Calls every kind of call twice with new requests until the second is a hit; how long that took. */
    private static Duration hitsResume(CompletionService service) {
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String prompt = "repeated " + System.nanoTime();
            EmbeddingRequest embedding = EmbeddingRequest.builder()
                    .model("text-embedding-3-small")
                    .input(prompt)
                    .build();
            service.completion(question(prompt));
            assertThat(service.completion(question(prompt)).cacheHit()).isTrue();
            assertThat(service.acompletion(question(prompt)).block().cacheHit()).isTrue();
            assertThat(service.streamCompletion(question(prompt)).blockLast().cacheHit())
                    .isTrue();
            service.embedding(embedding);
            assertThat(service.embedding(embedding).cacheHit()).isTrue();
            assertThat(service.aembedding(embedding).block().cacheHit()).isTrue();
        });
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Calls for a few seconds, so that connections, JIT and a remote backend's warm-up are behind. */
    private static void warmUp(CompletionService service, SoakRequests requests) throws Exception {
        SoakLoad warmUp = SoakLoad.start(service, requests, CALLERS, "warm-up");
        Thread.sleep(WARM_UP.toMillis());
        warmUp.stop(Duration.ofSeconds(30));
        assertThat(warmUp.failures().count())
                .as("failed calls while warming up: %s", warmUp.failures())
                .isZero();
    }

    private String summary(SoakLoad load, Duration elapsed, Duration hitsAgainAfter) {
        long calls = load.calls();
        return String.format(
                Locale.ROOT,
                "SOAK %s: %d callers, %.1f s, %d calls (%.0f/s; %s), %d hits, %d misses, %d failed, %d wrong,"
                        + " provider requests %d, max %d ms, p99 %d ms, p50 %d ms, budget %d ms, longest stall %d ms, faults %s,"
                        + " phases %s, hits again %d ms after the load",
                backendName(),
                CALLERS,
                elapsed.toMillis() / 1000.0,
                calls,
                calls * 1000.0 / elapsed.toMillis(),
                Arrays.stream(SoakLoad.Call.values())
                        .map(call -> call.name().toLowerCase(Locale.ROOT) + " " + load.calls(call))
                        .toList(),
                load.hits(),
                calls - load.hits() - load.failures().count(),
                load.failures().count(),
                load.wrongAnswers().count(),
                this.provider.requestCount(),
                load.slowest().toMillis(),
                load.percentile(99).toMillis(),
                load.percentile(50).toMillis(),
                BUDGET.toMillis(),
                load.longestStall().toMillis(),
                faults().stream().map(Fault::name).toList(),
                load.phases(),
                hitsAgainAfter.toMillis());
    }
}
