package io.github.litellmcache.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.autoconfigure.LiteLlmCacheEndpointAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCacheHealthAutoConfiguration;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * A store that refuses the cache's credentials (S3 answers 403, Redis {@code WRONGPASS}) is reported in the logs, the
 * health details and the exceptions of {@code clear()}, and none of them shows a credential: neither the AWS keys of
 * {@code litellm.cache.s3.*} nor a password inside {@code spring.data.redis.url}, which the cache never sees.
 */
@ExtendWith(OutputCaptureExtension.class)
class NoSecretsWhenCredentialsAreRefusedTests extends AbstractCachedApplicationTests {

    private static final String ACCESS_KEY_ID = "AKIA-refused-7c2a91";

    private static final String SECRET_ACCESS_KEY = "aws-secret-5e1f0b";

    private static final String URL_PASSWORD = "url-pw-3d9e41";

    @RegisterExtension
    static final S3ProxyServerExtension s3 = S3ProxyServerExtension.withBucket("refused");

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension("--requirepass", "the-right-one");

    private final LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withConfiguration(AutoConfigurations.of(
                    LiteLlmCacheEndpointAutoConfiguration.class, LiteLlmCacheHealthAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=litellmcache");

    @AfterEach
    void resetLogLevel() {
        this.loggingSystem.setLogLevel("io.github.litellmcache", null);
    }

    @Test
    void awsCredentialsThatS3RefusesAreNeverShown(CapturedOutput output) {
        this.loggingSystem.setLogLevel("io.github.litellmcache", LogLevel.TRACE);
        this.contextRunner
                .withPropertyValues(s3.cacheProperties())
                .withPropertyValues(
                        "litellm.cache.s3.aws-access-key-id=" + ACCESS_KEY_ID,
                        "litellm.cache.s3.aws-secret-access-key=" + SECRET_ACCESS_KEY)
                .run(context -> {
                    List<String> seen = refusedEverywhere(context, output);
                    assertThat(output.getAll()).contains("S3 answered");
                    assertThat(seen)
                            .allSatisfy(text -> assertThat(text).doesNotContain(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
                });
    }

    @Test
    void aPasswordInTheRedisUrlThatRedisRefusesIsNeverShown(CapturedOutput output) {
        this.loggingSystem.setLogLevel("io.github.litellmcache", LogLevel.TRACE);
        this.contextRunner
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues(
                        "litellm.cache.type=redis",
                        "spring.data.redis.url=redis://:" + URL_PASSWORD + "@127.0.0.1:" + redis.port())
                .run(context -> {
                    List<String> seen = refusedEverywhere(context, output);
                    assertThat(String.join("\n", seen)).contains("WRONGPASS");
                    assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(URL_PASSWORD));
                });
    }

    /**
     * What the application shows once the store has refused the credentials: the logs, the health (down), the
     * endpoint and the exception of {@code clear()}; a call meanwhile is answered by the provider.
     */
    private List<String> refusedEverywhere(AssertableApplicationContext context, CapturedOutput output) {
        CompletionService service = context.getBean(CompletionService.class);
        LlmCacheHealthIndicator indicator = context.getBean(LlmCacheHealthIndicator.class);
        assertThat(service.completion(question("refused")).cacheHit()).isFalse();
        Health health = await().atMost(Duration.ofSeconds(10))
                .until(
                        indicator::health,
                        down -> down.getStatus().equals(Status.DOWN)
                                && down.getDetails().containsKey("reason"));
        Throwable cleared = catchThrowable(() -> context.getBean(LlmCache.class).clear());
        assertThat(cleared)
                .as("clear() on a store that refuses the credentials")
                .isNotNull();
        List<String> seen = new ArrayList<>();
        for (Throwable cause = cleared; cause != null; cause = cause.getCause()) {
            seen.add(cause.toString());
        }
        seen.add(health.toString());
        seen.add(JsonMapper.builder()
                .build()
                .writeValueAsString(context.getBean(LlmCacheEndpoint.class).cache()));
        seen.add(output.getAll());
        return seen;
    }
}
