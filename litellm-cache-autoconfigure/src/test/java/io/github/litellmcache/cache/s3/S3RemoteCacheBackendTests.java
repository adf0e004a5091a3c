package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.s3.S3AutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCacheFailureAnalyzer;
import io.github.litellmcache.cache.AbstractRemoteCacheBackendTests;
import io.github.litellmcache.cache.CacheConfigurationException;
import io.github.litellmcache.cache.CacheOptions;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.S3ProxyServer;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The starter with {@code litellm.cache.type=s3} against an in-process s3proxy with V4 authentication: the
 * remote-backend contract on a dedicated client, then what is S3's own (objects under the path with expiry metadata,
 * clearing that leaves foreign objects, a missing bucket, the application's clients, switching at runtime, client
 * settings that fail startup).
 */
@ExtendWith(OutputCaptureExtension.class)
class S3RemoteCacheBackendTests extends AbstractRemoteCacheBackendTests {

    private static final String BUCKET = "llm-cache";

    @RegisterExtension
    static final S3ProxyServerExtension server = S3ProxyServerExtension.withBucket(BUCKET);

    S3RemoteCacheBackendTests() {
        super(
                server,
                runner -> runner.withPropertyValues(server.cacheProperties())
                        .withPropertyValues("litellm.cache.s3.path=cache/v1"));
    }

    private static S3Client raw() {
        return server.client();
    }

    @Test
    void objectSitsUnderThePathWithTheJsonEnvelopeAndNoPromptText() {
        storeRunner().withPropertyValues("litellm.cache.namespace=app").run(context -> {
            ChatCompletion answer = askedInTwoNamespaces(context.getBean(CompletionService.class));
            assertThat(server.keys(BUCKET))
                    .containsExactlyInAnyOrder(
                            "cache/v1/app:" + answer.cacheKey(), "cache/v1/team:" + answer.cacheKey())
                    .allSatisfy(key -> assertThat(key).doesNotContain("secret"));
            ResponseBytes<GetObjectResponse> object =
                    raw().getObjectAsBytes(r -> r.bucket(BUCKET).key("cache/v1/app:" + answer.cacheKey()));
            assertThat(object.response().contentType()).isEqualTo("application/json");
            assertThat(object.asString(StandardCharsets.UTF_8))
                    .startsWith("{\"format\":2,\"stored_at\":")
                    .contains("\"id\":\"" + answer.id() + "\"");
        });
    }

    @Test
    void expiryFollowsTheConfiguredAndThePerRequestTtl() {
        storeRunner().withPropertyValues("litellm.cache.ttl=10m").run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            long now = Instant.now().toEpochMilli();
            ChatCompletion configured = service.completion(question("a"));
            ChatCompletion perRequest = service.completion(question(
                    "b",
                    b -> b.cache(
                            CacheOptions.builder().ttl(Duration.ofSeconds(30)).build())));
            assertThat(expiresAt("cache/v1/" + configured.cacheKey())).isBetween(now + 595_000, now + 605_000);
            assertThat(expiresAt("cache/v1/" + perRequest.cacheKey())).isBetween(now + 25_000, now + 35_000);
        });
    }

    @Test
    void entriesDoNotExpireWithoutATtl() {
        storeRunner().run(context -> {
            ChatCompletion answer = context.getBean(CompletionService.class).completion(question("a"));
            HeadObjectResponse head = raw().headObject(r -> r.bucket(BUCKET).key("cache/v1/" + answer.cacheKey()));
            assertThat(head.metadata()).doesNotContainKey("litellm-expires-at");
        });
    }

    @Test
    void expiredObjectIsAMiss() {
        storeRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            UnaryOperator<ChatCompletionRequest.Builder> shortLived = b ->
                    b.cache(CacheOptions.builder().ttl(Duration.ofMillis(500)).build());
            ChatCompletion first = service.completion(question("q", shortLived));
            assertThat(service.completion(question("q", shortLived)).cacheHit()).isTrue();
            Thread.sleep(800);
            ChatCompletion afterExpiry = service.completion(question("q", shortLived));
            assertThat(afterExpiry.cacheHit()).isFalse();
            assertThat(afterExpiry.id()).isNotEqualTo(first.id());
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void clearLeavesAForeignObjectInTheBucketUntouched() {
        storeRunner().run(context -> {
            raw().putObject(r -> r.bucket(BUCKET).key("reports/2024.csv"), RequestBody.fromString("keep"));
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("a"));
            service.completion(question("b"));
            context.getBean(LlmCache.class).clear();
            assertThat(server.keys(BUCKET)).containsExactly("reports/2024.csv");
            assertThat(service.completion(question("a")).cacheHit()).isFalse();
        });
    }

    @Test
    void missingBucketIsALoggedErrorAndCallsStillSucceedWithoutCreatingIt(CapturedOutput output) {
        storeRunner()
                .withPropertyValues("litellm.cache.s3.bucket-name=not-there")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    assertThat(service.completion(question("q")).content()).isNotNull();
                    assertThat(service.completion(question("q")).cacheHit()).isFalse();
                    assertThat(service.acompletion(question("q")).block().cacheHit())
                            .isFalse();
                    assertThat(this.provider.requestCount()).isEqualTo(3);
                });
        assertThat(output).contains("ERROR").contains("'not-there'").contains("NoSuchBucket");
        assertThat(raw().listBuckets().buckets())
                .noneMatch(bucket -> bucket.name().equals("not-there"));
    }

    @Test
    void updateSwitchesBetweenLocalAndS3AtRuntime() {
        storeRunner().withPropertyValues("litellm.cache.type=local").run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            service.completion(question("q"));
            assertThat(server.keys(BUCKET)).isEmpty();
            cache.update(S3ProxySettings.dedicatedClientOf(server).build());
            assertThat(service.completion(question("q")).cacheHit())
                    .as("the bucket holds nothing yet")
                    .isFalse();
            assertThat(service.completion(question("q")).cacheHit()).isTrue();
            assertThat(server.keys(BUCKET)).hasSize(1);
            cache.update(CacheSettings.defaults());
            assertThat(service.completion(question("q")).cacheHit())
                    .as("a new local cache")
                    .isFalse();
        });
    }

    @Test
    void applicationsS3ClientFromSpringCloudAwsIsUsedWithoutClientSettings() {
        applicationRunner()
                .withConfiguration(AutoConfigurations.of(
                        AwsAutoConfiguration.class,
                        CredentialsProviderAutoConfiguration.class,
                        RegionProviderAutoConfiguration.class,
                        S3AutoConfiguration.class))
                .withPropertyValues("litellm.cache.type=s3", "litellm.cache.s3.bucket-name=" + BUCKET)
                .withPropertyValues(server.applicationClientProperties())
                .run(context -> {
                    assertThat(context).hasSingleBean(S3Client.class);
                    CompletionService service = context.getBean(CompletionService.class);
                    ChatCompletion answer = service.completion(question("q"));
                    assertThat(service.completion(question("q")).cacheHit()).isTrue();
                    assertThat(service.acompletion(question("q")).block().cacheHit())
                            .isTrue();
                    assertThat(server.keys(BUCKET)).containsExactly("litellm-cache/" + answer.cacheKey());
                });
    }

    @Test
    void applicationsS3AsyncClientIsUsedWhenItHasNoS3Client() {
        S3AsyncClient client = server.newAsyncClient();
        applicationRunner()
                .withBean(S3AsyncClient.class, () -> client)
                .withPropertyValues("litellm.cache.type=s3", "litellm.cache.s3.bucket-name=" + BUCKET)
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    ChatCompletion answer = service.completion(question("q"));
                    assertThat(service.completion(question("q")).cacheHit()).isTrue();
                    assertThat(server.keys(BUCKET)).containsExactly("litellm-cache/" + answer.cacheKey());
                });
    }

    @Test
    void withoutAnS3ClientAndWithoutClientSettingsStartupFailsNamingTheProperties() {
        applicationRunner()
                .withPropertyValues("litellm.cache.type=s3", "litellm.cache.s3.bucket-name=" + BUCKET)
                .run(context -> {
                    FailureAnalysis analysis = new LiteLlmCacheFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getCause()).isInstanceOf(CacheConfigurationException.class);
                    assertThat(analysis.getDescription()).contains("no S3 client");
                    assertThat(analysis.getAction())
                            .contains("litellm.cache.s3.region-name")
                            .contains("spring.cloud.aws.s3.");
                });
    }

    @Test
    void invalidClientSettingFailsStartupNamingTheProperty() {
        storeRunner()
                .withPropertyValues("litellm.cache.s3.aws-secret-access-key=")
                .run(context -> {
                    FailureAnalysis analysis = new LiteLlmCacheFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("litellm.cache.s3.aws-secret-access-key")
                            .doesNotContain(S3ProxyServer.SECRET_KEY);
                });
    }

    private static long expiresAt(String key) {
        HeadObjectResponse head = raw().headObject(r -> r.bucket(BUCKET).key(key));
        assertThat(head.expiresString()).isNotBlank();
        return Long.parseLong(head.metadata().get("litellm-expires-at"));
    }
}
