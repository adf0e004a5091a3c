package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.autoconfigure.LiteLlmCacheAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCompletionAutoConfiguration;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.CallLoad;
import io.github.litellmcache.testsupport.OpenAiFake;
import io.github.litellmcache.testsupport.S3ProxyServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An S3 outage never fails a call and costs each call at most {@code litellm.cache.timeout}: s3proxy is stopped while
 * eight threads are calling, then started again on the same port, and hits resume without a restart.
 */
class S3FaultTests {

    private static final String BUCKET = "faults";

    private static final Duration PROVIDER_LATENCY = Duration.ofMillis(50);

    private static final Duration TIMEOUT = Duration.ofMillis(250);

    /** Scheduling noise on a loaded two-core machine. */
    private static final Duration MARGIN = Duration.ofMillis(400);

    private final S3ProxyServer server = S3ProxyServer.launch();

    private final OpenAiFake provider = new OpenAiFake();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    LiteLlmCompletionAutoConfiguration.class, LiteLlmCacheAutoConfiguration.class))
            .withPropertyValues(
                    "litellm.openai.api-base=" + this.provider.apiBase(),
                    "litellm.cache.type=s3",
                    "litellm.cache.timeout=" + TIMEOUT.toMillis() + "ms",
                    "litellm.cache.cooldown=500ms",
                    "litellm.cache.s3.bucket-name=" + BUCKET,
                    "litellm.cache.s3.endpoint-url=" + this.server.endpoint(),
                    "litellm.cache.s3.aws-access-key-id=" + S3ProxyServer.ACCESS_KEY,
                    "litellm.cache.s3.aws-secret-access-key=" + S3ProxyServer.SECRET_KEY);

    @BeforeEach
    void createBucket() {
        this.server.createBucket(BUCKET);
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
    void stoppingS3UnderLoadFailsNoCallAndBoundsLatencyAndHitsResumeAfterARestart() {
        this.provider.latency(PROVIDER_LATENCY);
        this.contextRunner.run(context -> {
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
}
