package io.github.litellmcache.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.actuate.LlmCacheEndpoint.CacheDescriptor;
import io.github.litellmcache.autoconfigure.LiteLlmCacheAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCacheEndpointAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCompletionAutoConfiguration;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.OpenAiFake;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

/** The {@code litellmcache} endpoint's operations, invoked directly on the auto-configured bean. */
class LlmCacheEndpointTests {

    private final OpenAiFake provider = new OpenAiFake();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    LiteLlmCompletionAutoConfiguration.class,
                    LiteLlmCacheAutoConfiguration.class,
                    LiteLlmCacheEndpointAutoConfiguration.class))
            .withPropertyValues(
                    "litellm.openai.api-base=" + this.provider.apiBase(),
                    "management.endpoints.web.exposure.include=litellmcache");

    @AfterEach
    void stopProvider() throws Exception {
        this.provider.close();
    }

    private static ChatCompletionRequest question(String text) {
        return ChatCompletionRequest.of("gpt-4o-mini", List.of(ChatMessage.user(text)));
    }

    @Test
    void readShowsTheSettingsInPropertyValuesWithTheSecretsMasked() {
        this.contextRunner
                .withPropertyValues(
                        "litellm.cache.mode=default-off",
                        "litellm.cache.supported-call-types=completion,aembedding",
                        "litellm.cache.namespace=team-a",
                        "litellm.cache.ttl=10m",
                        "litellm.cache.redis.host=redis.internal",
                        "litellm.cache.redis.port=6380",
                        "litellm.cache.redis.password=hunter2",
                        "litellm.cache.s3.bucket-name=llm-cache",
                        "litellm.cache.s3.region-name=eu-west-1",
                        "litellm.cache.s3.endpoint-url=http://127.0.0.1:9000",
                        "litellm.cache.s3.path=cache/",
                        "litellm.cache.s3.aws-access-key-id=AKIAEXAMPLEID",
                        "litellm.cache.s3.aws-secret-access-key=s3-secret-value",
                        "litellm.cache.s3.aws-session-token=s3-session-value")
                .run(context -> {
                    CacheDescriptor cache =
                            context.getBean(LlmCacheEndpoint.class).cache();
                    assertThat(cache.enabled()).isTrue();
                    assertThat(cache.type()).isEqualTo("local");
                    assertThat(cache.mode()).isEqualTo("default-off");
                    assertThat(cache.supportedCallTypes()).containsExactly("completion", "aembedding");
                    assertThat(cache.namespace()).isEqualTo("team-a");
                    assertThat(cache.ttl()).isEqualTo("10m");
                    assertThat(cache.connection())
                            .isEqualTo(new LlmCacheEndpoint.ConnectionDescriptor(
                                    "redis.internal",
                                    6380,
                                    "******",
                                    "llm-cache",
                                    "eu-west-1",
                                    "http://127.0.0.1:9000",
                                    "cache",
                                    "******",
                                    "******",
                                    "******"));
                    String json = JsonMapper.builder().build().writeValueAsString(cache);
                    assertThat(json)
                            .contains("\"password\":\"******\"")
                            .doesNotContain("hunter2")
                            .doesNotContain("AKIAEXAMPLEID")
                            .doesNotContain("s3-secret-value")
                            .doesNotContain("s3-session-value");
                });
    }

    @Test
    void readShowsNoPortWhenTheApplicationsRedisConnectionIsUsed() {
        this.contextRunner.withPropertyValues("litellm.cache.redis.port=6380").run(context -> {
            CacheDescriptor cache = context.getBean(LlmCacheEndpoint.class).cache();
            assertThat(cache.connection().host()).isNull();
            assertThat(cache.connection().port())
                    .as("the application's connection has its own port, which the cache does not know")
                    .isNull();
            assertThat(JsonMapper.builder().build().writeValueAsString(cache)).doesNotContain("6380", "6379");
        });
    }

    @Test
    void readLeavesUnsetSecretsUnset() {
        this.contextRunner.run(context -> {
            CacheDescriptor cache = context.getBean(LlmCacheEndpoint.class).cache();
            assertThat(cache.mode()).isEqualTo("default-on");
            assertThat(cache.supportedCallTypes())
                    .containsExactly("completion", "acompletion", "embedding", "aembedding");
            assertThat(cache.ttl()).isNull();
            assertThat(cache.connection().password()).isNull();
            assertThat(cache.connection().s3AwsSecretAccessKey()).isNull();
        });
    }

    @Test
    void readCountsHitsMissesWritesAndErrors() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("counted"));
            service.completion(question("counted"));
            service.completion(question("counted"));
            service.completion(question("other"));

            CacheDescriptor cache = context.getBean(LlmCacheEndpoint.class).cache();
            assertThat(cache.counts().hits()).isEqualTo(2);
            assertThat(cache.counts().misses()).isEqualTo(2);
            assertThat(cache.counts().writes()).isEqualTo(2);
            assertThat(cache.counts().errors()).isZero();
        });
    }

    @Test
    void writeEnabledFalseSendsTheNextRepeatToTheProviderAndTrueTurnsTheCacheBackOn() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LlmCacheEndpoint endpoint = context.getBean(LlmCacheEndpoint.class);
            service.completion(question("switch"));

            CacheDescriptor disabled = endpoint.enabled(false);
            assertThat(disabled.enabled()).isFalse();
            assertThat(context.getBean(LlmCache.class).isEnabled()).isFalse();
            assertThat(service.completion(question("switch")).cacheHit()).isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(2);

            assertThat(endpoint.enabled(true).enabled()).isTrue();
            assertThat(service.completion(question("switch")).cacheHit()).isTrue();
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void deleteClearsTheEntries() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("cleared"));
            assertThat(service.completion(question("cleared")).cacheHit()).isTrue();

            context.getBean(LlmCacheEndpoint.class).clear();

            assertThat(service.completion(question("cleared")).cacheHit()).isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }
}
