package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.actuate.MicrometerCacheMetrics;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.cache.engine.GuardedBackend;
import io.github.litellmcache.cache.near.RedisTracking;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Against a real redis-server: the shutdown of an instance, which closes its backend while calls still run, is no
 * outage. The writes the closed backend refuses, and a write Lettuce fails because its connection closed under it,
 * are neither warned about, nor counted in {@value MicrometerCacheMetrics#ERRORS}, nor counted by the circuit
 * breaker; a write that fails because Redis is down still is. Nor does closing a backend make Lettuce warn.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisShutdownIsNoBackendFailureTests extends AbstractCachedApplicationTests {

    private static final int CALLS = 10;

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withPropertyValues(server.cacheProperties())
            .withPropertyValues("litellm.cache.timeout=5s")
            .withBean(MicrometerCacheMetrics.class, this::metrics);

    @Test
    void writesRefusedByTheBackendClosedAtShutdownCountNoErrorAndLeaveItsBreakerClosed() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("warm up"));
            GuardedBackend guard = context.getBean(BackendGuards.class)
                    .guard(context.getBean(LlmCache.class).backend());
            this.provider.latency(Duration.ofMillis(500));
            List<CompletableFuture<ChatCompletion>> calls = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                calls.add(service.acompletion(question("asked as the application stops " + i))
                        .toFuture());
            }
            this.provider.awaitRequests(1 + CALLS);

            context.close();

            calls.forEach(call -> assertThat(
                            call.orTimeout(10, TimeUnit.SECONDS).join().cacheHit())
                    .isFalse());
            assertThat(errors()).isZero();
            assertThat(guard.isAvailable())
                    .as("calls would still use the backend")
                    .isTrue();
        });
    }

    @Test
    void aWriteInFlightWhenTheBackendClosesIsNeitherWarnedAboutNorCounted(CapturedOutput output) {
        this.contextRunner.run(context -> assertWriteInFlightAtShutdownIsNoFailure(context, output));
    }

    /**
     * On the application's connection factory, which Spring stops (it is a lifecycle) before it closes the backend: a
     * write in flight then, and the end of the fleet's subscription on the stopped factory, are the shutdown too.
     */
    @Test
    void onTheApplicationsConnectionAWriteInFlightAtShutdownIsNeitherWarnedAboutNorCounted(CapturedOutput output) {
        onTheApplicationsConnection().run(context -> assertWriteInFlightAtShutdownIsNoFailure(context, output));
    }

    /** The near tier's tracking connections, which the stopped factory's client has closed, are not closed again. */
    @Test
    void theNearTierOnTheApplicationsConnectionShutsDownWithoutWarnings(CapturedOutput output) {
        onTheApplicationsConnection()
                .withPropertyValues("litellm.cache.near.enabled=true")
                .run(context -> {
                    context.getBean(CompletionService.class).completion(question("asked with a near tier"));
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> server.admin().clientList().contains("name=" + RedisTracking.CLIENT_NAME));
                    int logged = output.getAll().length();

                    context.close();

                    assertThat(output.getAll().substring(logged)).doesNotContain("WARN", "ERROR");
                });
    }

    /** The cache on the application's connection factory, without a pool as with the README's dependencies. */
    private ApplicationContextRunner onTheApplicationsConnection() {
        return applicationRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues(server.applicationConnectionProperties())
                .withPropertyValues("litellm.cache.timeout=5s", "spring.data.redis.lettuce.pool.enabled=false")
                .withBean(MicrometerCacheMetrics.class, this::metrics);
    }

    private void assertWriteInFlightAtShutdownIsNoFailure(ConfigurableApplicationContext context, CapturedOutput output)
            throws Exception {
        CompletionService service = context.getBean(CompletionService.class);
        service.completion(question("warm up"));
        this.provider.latency(Duration.ofMillis(300));
        CompletableFuture<ChatCompletion> call = service.acompletion(question("written as the connection closes"))
                .toFuture();
        this.provider.awaitRequests(2);
        pauseWrites();
        try {
            await().atMost(Duration.ofSeconds(10)).until(RedisShutdownIsNoBackendFailureTests::aWriteIsHeld);
            int logged = output.getAll().length();

            context.close();

            assertThat(call.get(10, TimeUnit.SECONDS).cacheHit()).isFalse();
            assertThat(output.getAll().substring(logged)).doesNotContain("WARN", "ERROR");
            assertThat(errors()).isZero();
        } finally {
            command("UNPAUSE");
        }
    }

    @Test
    void aWriteThatFailsAsRedisGoesDownIsWarnedAboutAndCounted(CapturedOutput output) {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("warm up"));
            this.provider.latency(Duration.ofMillis(300));
            CompletableFuture<ChatCompletion> call =
                    service.acompletion(question("written as Redis stops")).toFuture();
            this.provider.awaitRequests(2);
            server.stop();
            try {
                assertThat(call.get(10, TimeUnit.SECONDS).cacheHit()).isFalse();
            } finally {
                server.start();
            }
            assertThat(errors()).isOne();
            assertThat(output.getAll())
                    .contains(
                            "WARN", "Cache write on the redis cache backend (", "failed, the call went on without it");
        });
    }

    /**
     * Closing a backend right after its fleet subscription was made, thirty times: each close ends the subscription
     * before it shuts the client down, which otherwise closes the subscription's connection a second time, now and
     * then, and Lettuce warns that it is already closed.
     */
    @Test
    void closingABackendWithItsFleetSubscriptionOpenLogsNoWarning(CapturedOutput output) {
        for (int i = 0; i < 30; i++) {
            RedisCacheBackend backend =
                    RedisCacheBackend.dedicated("127.0.0.1", server.port(), null, "litellm:", Duration.ofSeconds(2));
            backend.fleetLeases().lead(new CacheKey(null, "subscribed " + i)).block();
            await().atMost(Duration.ofSeconds(10)).until(() -> subscribers("litellm:done") == 1);
            backend.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> subscribers("litellm:done") == 0);
        }
        assertThat(output.getAll()).doesNotContain("WARN");
    }

    private MicrometerCacheMetrics metrics() {
        MicrometerCacheMetrics metrics = new MicrometerCacheMetrics();
        metrics.bindTo(this.registry);
        return metrics;
    }

    private double errors() {
        return this.registry.find(MicrometerCacheMetrics.ERRORS).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    /** Holds every client's writes until {@code CLIENT UNPAUSE}; reads go on. */
    private static void pauseWrites() {
        command("PAUSE", "60000", "WRITE");
    }

    /** Whether a client's {@code SET} is held by the pause, sent and not answered. */
    private static boolean aWriteIsHeld() {
        return server.admin()
                .clientList()
                .lines()
                .anyMatch(client -> client.contains(" flags=b ") && client.contains(" cmd=set "));
    }

    private static long subscribers(String channel) {
        return server.admin().pubsubNumsub(channel).get(channel);
    }

    private static void command(String... arguments) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (String argument : arguments) {
            args.add(argument);
        }
        server.admin()
                .getStatefulConnection()
                .sync()
                .dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), args);
    }
}
