package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.autoconfigure.LiteLlmCacheAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCompletionAutoConfiguration;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.CallLoad;
import io.github.litellmcache.testsupport.OpenAiFake;
import io.github.litellmcache.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A Redis outage never fails a call and costs each call at most {@code litellm.cache.timeout}: the
 * server process is killed, paused and started again while threads are calling.
 */
class RedisFaultTests {

    private static final Duration PROVIDER_LATENCY = Duration.ofMillis(50);

    private static final Duration TIMEOUT = Duration.ofMillis(250);

    /** Scheduling noise on a loaded two-core machine. */
    private static final Duration MARGIN = Duration.ofMillis(400);

    private final RedisServer server = RedisServer.launch();

    private final OpenAiFake provider = new OpenAiFake();

    private ApplicationContextRunner contextRunner(String... connection) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        DataRedisAutoConfiguration.class,
                        LiteLlmCompletionAutoConfiguration.class,
                        LiteLlmCacheAutoConfiguration.class))
                .withPropertyValues(
                        "litellm.openai.api-base=" + this.provider.apiBase(),
                        "litellm.cache.type=redis",
                        "litellm.cache.timeout=" + TIMEOUT.toMillis() + "ms",
                        "litellm.cache.cooldown=500ms")
                .withPropertyValues(connection);
    }

    private String[] dedicatedConnection() {
        return new String[] {"litellm.cache.redis.host=127.0.0.1", "litellm.cache.redis.port=" + this.server.port()};
    }

    private String[] applicationConnection() {
        return new String[] {"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.server.port()};
    }

    @AfterEach
    void stop() throws Exception {
        this.provider.close();
        this.server.close();
    }

    private static ChatCompletionRequest question(String text) {
        return ChatCompletionRequest.of("gpt-4o-mini", List.of(ChatMessage.user(text)));
    }

    @Test
    void stoppingRedisUnderLoadFailsNoCallAndBoundsLatencyAndHitsResumeAfterARestartOnADedicatedConnection() {
        outageUnderLoad(dedicatedConnection());
    }

    @Test
    void stoppingRedisUnderLoadFailsNoCallAndBoundsLatencyAndHitsResumeAfterARestartOnTheApplicationsConnection() {
        outageUnderLoad(applicationConnection());
    }

    private void outageUnderLoad(String[] connection) {
        this.provider.latency(PROVIDER_LATENCY);
        contextRunner(connection).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            assertThat(CallLoad.warmUp(service).failures()).isEmpty();
            CallLoad load = CallLoad.start(service);
            try {
                Thread.sleep(500);
                this.server.stop();
                Thread.sleep(1_500);
                this.server.start();
                Thread.sleep(500);
            } finally {
                load.stop();
            }
            assertThat(load.failures()).isEmpty();
            assertThat(load.calls()).isGreaterThan(50);
            assertThat(load.slowest())
                    .isLessThanOrEqualTo(PROVIDER_LATENCY.plus(TIMEOUT).plus(MARGIN));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                service.completion(question("after the restart"));
                assertThat(service.completion(question("after the restart")).cacheHit())
                        .isTrue();
            });
        });
    }

    @Test
    void pausedRedisDelaysCallsByAtMostTheTimeout() {
        this.provider.latency(PROVIDER_LATENCY);
        contextRunner(dedicatedConnection()).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            assertThat(CallLoad.warmUp(service).failures()).isEmpty();
            try (RedisClient client = RedisClient.create("redis://127.0.0.1:" + this.server.port());
                    StatefulRedisConnection<String, String> admin = client.connect()) {
                admin.sync().clientPause(3_000);
                for (int i = 0; i < 4; i++) {
                    long start = System.nanoTime();
                    ChatCompletion answer = (i % 2 == 0)
                            ? service.completion(question("during the pause " + i))
                            : service.acompletion(question("during the pause " + i))
                                    .block();
                    assertThat(answer.content()).endsWith("during the pause " + i);
                    assertThat(Duration.ofNanos(System.nanoTime() - start))
                            .isLessThanOrEqualTo(PROVIDER_LATENCY.plus(TIMEOUT).plus(MARGIN));
                }
            }
        });
    }
}
