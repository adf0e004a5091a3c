package io.github.litellmcache.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.autoconfigure.LiteLlmCacheEndpointAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCacheHealthAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCacheMetricsAutoConfiguration;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServer;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * What operators see (metric names and tags, observation key values, log lines, the endpoint's read
 * result and the health details) never contains a prompt, a cache key, the Redis password or the
 * provider's API key, before and during a Redis outage.
 */
@ExtendWith(OutputCaptureExtension.class)
class NoSecretsInOperationsTests extends AbstractCachedApplicationTests {

    private static final String PROMPT = "confidential-prompt-7f3a91 about the merger";

    private static final String EMBEDDED_TEXT = "confidential-input-c41d07";

    private static final String REDIS_PASSWORD = "redis-pw-5be2c8";

    private static final String API_KEY = "sk-live-apikey-9d0e66";

    private final RedisServer redis = RedisServer.launch("--requirepass", REDIS_PASSWORD);

    private final LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withConfiguration(AutoConfigurations.of(
                    MetricsAutoConfiguration.class,
                    LiteLlmCacheMetricsAutoConfiguration.class,
                    LiteLlmCacheEndpointAutoConfiguration.class,
                    LiteLlmCacheHealthAutoConfiguration.class))
            .withUserConfiguration(RegistriesConfiguration.class)
            .withPropertyValues(
                    "litellm.openai.api-key=" + API_KEY,
                    "litellm.cache.type=redis",
                    "litellm.cache.redis.host=127.0.0.1",
                    "litellm.cache.redis.port=" + this.redis.port(),
                    "litellm.cache.redis.password=" + REDIS_PASSWORD,
                    "litellm.cache.timeout=200ms",
                    "management.endpoints.web.exposure.include=litellmcache");

    @AfterEach
    void stop() throws Exception {
        this.loggingSystem.setLogLevel("io.github.litellmcache", null);
        this.redis.close();
    }

    @Test
    void noPromptKeyOrSecretInMetricsObservationsLogsEndpointOrHealth(CapturedOutput output) {
        this.loggingSystem.setLogLevel("io.github.litellmcache", LogLevel.TRACE);
        this.contextRunner.run(context -> {
            connected(context.getBean(LlmCache.class));
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletionRequest request = ChatCompletionRequest.of("gpt-4o-mini", List.of(ChatMessage.user(PROMPT)));
            List<String> keys = new ArrayList<>();
            ChatCompletion miss = service.completion(request);
            ChatCompletion hit = service.acompletion(request).block();
            assertThat(hit.cacheHit()).isTrue();
            keys.add(miss.cacheKey());
            keys.add(service.embedding(EmbeddingRequest.builder()
                            .model("text-embedding-3-small")
                            .input(EMBEDDED_TEXT)
                            .build())
                    .cacheKey());
            service.streamCompletion(request).blockLast();
            LlmCacheHealthIndicator health = context.getBean(LlmCacheHealthIndicator.class);
            Health up = health.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);

            this.redis.stop();
            ChatCompletion duringOutage = service.completion(
                    ChatCompletionRequest.of("gpt-4o-mini", List.of(ChatMessage.user(PROMPT + "!"))));
            keys.add(duringOutage.cacheKey());
            Health down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);

            assertThat(keys).allSatisfy(key -> assertThat(key).matches("[0-9a-f]{64}"));
            assertThat(output.getAll()).contains("Cache read on the redis cache backend (");
            String endpoint = JsonMapper.builder()
                    .build()
                    .writeValueAsString(context.getBean(LlmCacheEndpoint.class).cache());
            assertThat(endpoint).contains("\"password\":\"******\"");
            List<String> seen = new ArrayList<>();
            seen.addAll(meterNamesAndTags(context.getBean(MeterRegistry.class)));
            seen.addAll(observationKeyValues(context.getBean(TestObservationRegistry.class)));
            seen.add(output.getAll());
            seen.add(endpoint);
            seen.add(up.toString());
            seen.add(down.toString());
            List<String> forbidden = new ArrayList<>(List.of(PROMPT, EMBEDDED_TEXT, REDIS_PASSWORD, API_KEY));
            forbidden.addAll(keys);
            assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(forbidden));
        });
    }

    private static List<String> meterNamesAndTags(MeterRegistry registry) {
        List<String> seen = new ArrayList<>();
        for (Meter meter : registry.getMeters()) {
            seen.add(meter.getId().getName());
            for (Tag tag : meter.getId().getTags()) {
                seen.add(tag.getKey() + "=" + tag.getValue());
            }
        }
        assertThat(seen).contains("result=hit", "backend=redis");
        return seen;
    }

    private static List<String> observationKeyValues(TestObservationRegistry registry) {
        List<String> seen = new ArrayList<>();
        org.assertj.core.api.Assertions.assertThat(registry).hasHandledContextsThatSatisfy(contexts -> {
            for (Observation.Context context : contexts) {
                seen.add(context.getName());
                for (KeyValue keyValue : context.getAllKeyValues()) {
                    seen.add(keyValue.getKey() + "=" + keyValue.getValue());
                }
            }
        });
        assertThat(seen).contains("cache.hit=true");
        return seen;
    }

    /** Waits until the first connection to Redis is made, which may take longer than the cache's timeout. */
    private static void connected(LlmCache cache) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            cache.backend().get(new CacheKey(null, "warm-up"));
            return true;
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class RegistriesConfiguration {

        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        TestObservationRegistry testObservationRegistry() {
            return TestObservationRegistry.create();
        }
    }
}
