package io.github.litellmcache.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.s3.S3AutoConfiguration;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.S3ProxyServer;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.ClassUtils;

/**
 * {@code litellm.cache.type: s3} with what {@code spring-cloud-aws-starter-s3} brings and nothing more: the AWS SDK's
 * Netty client ({@code netty-nio-client}) is hidden, yet the backend starts and caches on its dedicated client and on
 * the application's, and {@code verify} still decides which certificates the dedicated client trusts.
 */
@ExtendWith(OutputCaptureExtension.class)
class S3CacheWithoutNettyTests extends AbstractCachedApplicationTests {

    private static final String NETTY = "software.amazon.awssdk.http.nio.netty";

    private static final String BUCKET = "without-netty";

    @RegisterExtension
    static final S3ProxyServerExtension server = S3ProxyServerExtension.withBucketAndTls(BUCKET);

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withClassLoader(new FilteredClassLoader(NETTY))
            .withPropertyValues(
                    "litellm.cache.type=s3", "litellm.cache.timeout=2s", "litellm.cache.s3.bucket-name=" + BUCKET);

    @Test
    void dedicatedClientStartsAndCaches() {
        this.contextRunner
                .withPropertyValues(dedicated(server.endpoint().toString()))
                .run(context -> {
                    ChatCompletion answer = askTwiceExpectingAHit(context);
                    assertThat(server.keys(BUCKET)).containsExactly("litellm-cache/" + answer.cacheKey());
                });
    }

    @Test
    void applicationsS3ClientFromSpringCloudAwsStartsAndCaches() {
        this.contextRunner
                .withConfiguration(AutoConfigurations.of(
                        AwsAutoConfiguration.class,
                        CredentialsProviderAutoConfiguration.class,
                        RegionProviderAutoConfiguration.class,
                        S3AutoConfiguration.class))
                .withPropertyValues(server.applicationClientProperties())
                .run(context -> {
                    ChatCompletion answer = askTwiceExpectingAHit(context);
                    assertThat(server.keys(BUCKET)).containsExactly("litellm-cache/" + answer.cacheKey());
                });
    }

    @Nested
    class Verify {

        @Test
        void aCaBundleIsTrusted() {
            contextRunner
                    .withPropertyValues(dedicated(server.secureEndpoint().toString()))
                    .withPropertyValues("litellm.cache.s3.verify=" + server.caBundle())
                    .run(context -> {
                        ChatCompletion answer = askTwiceExpectingAHit(context);
                        assertThat(server.keys(BUCKET)).containsExactly("litellm-cache/" + answer.cacheKey());
                    });
        }

        @Test
        void falseTrustsAnyCertificateWithAWarning(CapturedOutput output) {
            contextRunner
                    .withPropertyValues(dedicated(server.secureEndpoint().toString()))
                    .withPropertyValues("litellm.cache.s3.verify=false")
                    .run(context -> askTwiceExpectingAHit(context));
            assertThat(output).contains("WARN").contains("trusts any certificate");
        }

        @Test
        void trueRejectsASelfSignedCertificateAndCallsStillSucceed(CapturedOutput output) {
            contextRunner
                    .withPropertyValues(dedicated(server.secureEndpoint().toString()))
                    .withPropertyValues("litellm.cache.s3.verify=true")
                    .run(context -> {
                        CompletionService service = context.getBean(CompletionService.class);
                        assertThat(service.completion(question()).cacheHit()).isFalse();
                        assertThat(service.completion(question()).cacheHit()).isFalse();
                        assertThat(provider.requestCount()).isEqualTo(2);
                    });
            assertThat(server.keys(BUCKET)).isEmpty();
            assertThat(output).containsIgnoringCase("certification path");
        }
    }

    @Test
    void dedicatedClientWithoutAnySdkHttpClientFailsNamingTheDependency() {
        this.contextRunner
                .withClassLoader(new FilteredClassLoader(NETTY, "software.amazon.awssdk.http.apache5"))
                .withPropertyValues(dedicated(server.endpoint().toString()))
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("HTTP client");
                    assertThat(analysis.getAction()).contains("io.awspring.cloud:spring-cloud-aws-starter-s3");
                });
    }

    private static String[] dedicated(String endpointUrl) {
        return new String[] {
            "litellm.cache.s3.endpoint-url=" + endpointUrl,
            "litellm.cache.s3.aws-access-key-id=" + S3ProxyServer.ACCESS_KEY,
            "litellm.cache.s3.aws-secret-access-key=" + S3ProxyServer.SECRET_KEY
        };
    }

    private ChatCompletion askTwiceExpectingAHit(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        assertThat(ClassUtils.isPresent(NETTY + ".NettyNioAsyncHttpClient", context.getClassLoader()))
                .as("Netty is hidden")
                .isFalse();
        CompletionService service = context.getBean(CompletionService.class);
        ChatCompletion first = service.completion(question());
        ChatCompletion second = service.acompletion(question()).block();
        assertThat(first.cacheHit()).isFalse();
        assertThat(second.cacheHit()).isTrue();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(this.provider.requestCount()).isEqualTo(1);
        return first;
    }

    private static ChatCompletionRequest question() {
        return question("which client?");
    }

    private static FailureAnalysis analyze(@Nullable Throwable failure) {
        assertThat(failure).as("startup failure").isNotNull();
        FailureAnalysis analysis = new LiteLlmCacheFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("analysis of " + failure).isNotNull();
        return analysis;
    }
}
