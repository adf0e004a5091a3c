package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.autoconfigure.LiteLlmCacheAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCompletionAutoConfiguration;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServer;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Three instances of an application on one Redis, each with its own connection, asked the same
 * question 30 times at once: one provider call for the fleet; when the instance that leads stops in
 * the middle of its call, another calls the provider once its lease has expired and the rest take
 * that answer; when the leading instance's call fails, the others call at once, not one after the
 * other; with Redis stopped, each instance falls back to its own single flight; and
 * {@code litellm.cache.redis.fleet-single-flight=false} lets every instance call on its own.
 */
class FleetSingleFlightTests extends AbstractCachedApplicationTests {

    private static final int INSTANCES = 3;

    private static final int CALLS_PER_INSTANCE = 30;

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    private final ExecutorService callers = Executors.newFixedThreadPool(INSTANCES * CALLS_PER_INSTANCE);

    @AfterEach
    void stopInstances() {
        this.instances.forEach(ConfigurableApplicationContext::close);
        this.callers.shutdownNow();
    }

    @Test
    void ninetyIdenticalCallsOnThreeInstancesMakeOneProviderCall() {
        List<CompletionService> services = startInstances(true);
        this.provider.latency(Duration.ofMillis(500));

        List<ChatCompletion> answers = answers(ask(services, "one call for the fleet"));

        assertThat(answers).hasSize(INSTANCES * CALLS_PER_INSTANCE);
        assertThat(answers)
                .extracting(ChatCompletion::id)
                .containsOnly(answers.get(0).id());
        assertThat(this.provider.requestCount()).isEqualTo(INSTANCES + 1);
        awaitUntil(() -> server.admin().keys("litellm:lock/*").isEmpty());
    }

    @Test
    void withANearCacheInFrontOfRedisTheFleetStillMakesOneProviderCall() {
        List<CompletionService> services = startInstances(true, "litellm.cache.near.enabled=true");
        this.provider.latency(Duration.ofMillis(500));

        List<ChatCompletion> answers = answers(ask(services, "one call for the fleet, near tier on"));

        assertThat(answers)
                .extracting(ChatCompletion::id)
                .containsOnly(answers.get(0).id());
        assertThat(this.provider.requestCount()).isEqualTo(INSTANCES + 1);
    }

    @Test
    void whenTheLeadingInstanceStopsMidCallAnotherCallsAfterItsLeaseAndTheRestTakeThatAnswer() throws Exception {
        List<CompletionService> services = startInstances(true);
        this.provider.latency(Duration.ofSeconds(2));
        long leaseAttempts = RedisServer.calls(server.admin(), "set");

        ask(services.subList(0, 1), "the leader stops");
        this.provider.awaitRequests(INSTANCES + 1);
        List<CompletableFuture<ChatCompletion>> others = ask(services.subList(1, INSTANCES), "the leader stops");
        awaitUntil(() -> RedisServer.calls(server.admin(), "set") >= leaseAttempts + INSTANCES);
        this.instances.get(0).close();

        List<ChatCompletion> answers = answers(others);
        assertThat(answers).hasSize((INSTANCES - 1) * CALLS_PER_INSTANCE);
        assertThat(answers)
                .extracting(ChatCompletion::id)
                .containsOnly(answers.get(0).id());
        assertThat(this.provider.requestCount()).isEqualTo(INSTANCES + 2);
    }

    @Test
    void anInstanceShuttingDownMidCallReleasesItsLeaseAndAnotherInstanceMakesTheCall() throws Exception {
        List<CompletionService> services = startInstances(true);
        this.provider.latency(Duration.ofSeconds(2));
        long leaseAttempts = RedisServer.calls(server.admin(), "set");
        CompletableFuture<ChatCompletion> holder = askOnce(services.get(0), "the holder shuts down");
        this.provider.awaitRequests(INSTANCES + 1);
        CompletableFuture<ChatCompletion> waiter = askOnce(services.get(1), "the holder shuts down");
        awaitUntil(() -> RedisServer.calls(server.admin(), "set") >= leaseAttempts + 2);
        String lease = server.admin().keys("litellm:lock/*").get(0);
        String holderToken = server.admin().get(lease);

        this.instances.get(0).close();

        assertThat(server.admin().get(lease))
                .as("the holder's lease, once it has closed")
                .isNotEqualTo(holderToken);
        assertThat(waiter.get(30, TimeUnit.SECONDS).cacheHit()).isFalse();
        assertThat(holder.get(30, TimeUnit.SECONDS).cacheHit()).isFalse();
        assertThat(this.provider.requestCount()).isEqualTo(INSTANCES + 2);
    }

    @Test
    void withRedisStoppedEveryCallSucceedsWithAtMostOneProviderCallPerInstance() {
        List<CompletionService> services = startInstances(true);
        this.provider.latency(Duration.ofMillis(500));
        server.stop();
        try {
            List<ChatCompletion> answers = answers(ask(services, "redis is down"));

            assertThat(answers).hasSize(INSTANCES * CALLS_PER_INSTANCE).doesNotContainNull();
            assertThat(this.provider.requestCount()).isBetween(INSTANCES + 1, 2 * INSTANCES);
        } finally {
            server.start();
        }
    }

    @Test
    void switchedOffEachInstanceMakesItsOwnProviderCall() {
        List<CompletionService> services = startInstances(false);
        this.provider.latency(Duration.ofMillis(500));

        answers(ask(services, "one call per instance"));

        assertThat(this.provider.requestCount()).isEqualTo(2 * INSTANCES);
    }

    @Test
    void theInstancesThatWaitedForALeaderWhoseCallFailedCallTheProviderTogetherNotOneAfterTheOther()
            throws InterruptedException {
        Duration latency = Duration.ofSeconds(4);
        List<CompletionService> services = startInstances(true);
        int base = this.provider.requestCount();
        this.provider.latency(latency);
        this.provider.fail(500, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
        List<CompletableFuture<?>> calls = new ArrayList<>();
        calls.add(askOnce(services.get(0)));
        this.provider.awaitRequests(base + 1);
        calls.add(askOnce(services.get(1)));
        calls.add(askOnce(services.get(2)));

        // The leader's call fails after the latency; a follower then calls, and so does the other, well before that
        // call could have ended: they do not take the lease one after the other.
        await().atMost(latency.multipliedBy(3)).until(() -> this.provider.requestCount() >= base + 2);
        await().atMost(latency.dividedBy(2)).until(() -> this.provider.requestCount() >= base + 3);
        calls.forEach(call -> call.handle((answer, error) -> null).join());
    }

    /** One call of a question the provider fails. */
    private CompletableFuture<?> askOnce(CompletionService service) {
        return askOnce(service, "a question the provider fails");
    }

    /** One call of {@code text}. */
    private CompletableFuture<ChatCompletion> askOnce(CompletionService service, String text) {
        return CompletableFuture.supplyAsync(() -> service.completion(question(text)), this.callers);
    }

    /**
     * The instances, each warmed up by one call of its own (one provider request each), so that
     * every later call starts connected.
     */
    private List<CompletionService> startInstances(boolean fleetSingleFlight, String... properties) {
        List<CompletionService> services = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            ConfigurableApplicationContext context = new SpringApplicationBuilder(Instance.class)
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .logStartupInfo(false)
                    .registerShutdownHook(false)
                    .properties(
                            "litellm.openai.api-base=" + this.provider.apiBase(),
                            "litellm.request-timeout=30s",
                            "litellm.cache.type=redis",
                            "litellm.cache.redis.host=127.0.0.1",
                            "litellm.cache.redis.port=" + server.port(),
                            "litellm.cache.redis.fleet-single-flight=" + fleetSingleFlight)
                    .properties(properties)
                    .run();
            this.instances.add(context);
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("warm-up of instance " + i));
            services.add(service);
        }
        return services;
    }

    /**
     * {@code text} asked {@link #CALLS_PER_INSTANCE} times at once on every instance: blocking on the
     * first, reactive on the others.
     */
    private List<CompletableFuture<ChatCompletion>> ask(List<CompletionService> services, String text) {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<ChatCompletion>> calls = new ArrayList<>();
        for (int i = 0; i < services.size(); i++) {
            CompletionService service = services.get(i);
            boolean blocking = (i == 0);
            for (int call = 0; call < CALLS_PER_INSTANCE; call++) {
                calls.add(CompletableFuture.supplyAsync(
                        () -> {
                            awaitStart(start);
                            return blocking
                                    ? service.completion(question(text))
                                    : service.acompletion(question(text)).block();
                        },
                        this.callers));
            }
        }
        start.countDown();
        return calls;
    }

    private static List<ChatCompletion> answers(List<CompletableFuture<ChatCompletion>> calls) {
        return calls.stream()
                .map(call -> call.orTimeout(60, TimeUnit.SECONDS).join())
                .toList();
    }

    private static void awaitStart(CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Waits until {@code condition} holds, at most 10 s. */
    private static void awaitUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({LiteLlmCompletionAutoConfiguration.class, LiteLlmCacheAutoConfiguration.class})
    static class Instance {}
}
