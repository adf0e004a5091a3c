package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.S3ProxyServer;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Each S3 parameter of LiteLLM's cache ({@code s3_bucket_name}, {@code s3_region_name}, {@code s3_api_version},
 * {@code s3_use_ssl}, {@code s3_verify}, {@code s3_endpoint_url}, {@code s3_aws_access_key_id},
 * {@code s3_aws_secret_access_key}, {@code s3_aws_session_token}, {@code s3_config}, {@code s3_path}) has an observable
 * effect, set as a {@code litellm.cache.s3.*} property and through {@link LlmCache#update(CacheSettings)} alike. The
 * requests that the dedicated client sends are recorded by an interceptor that a customizer bean (the counterpart of
 * {@code s3_config}) adds.
 */
@ExtendWith(OutputCaptureExtension.class)
class S3CacheParameterTests extends AbstractCachedApplicationTests {

    private static final String BUCKET = "parameters";

    @RegisterExtension
    static final S3ProxyServerExtension server = S3ProxyServerExtension.withBucketAndTls(BUCKET);

    private final Recorder recorder = new Recorder();

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withBean("recording", S3CacheClientCustomizer.class, () -> intercepting(this.recorder))
            .withPropertyValues("litellm.cache.timeout=2s");

    /** How the S3 parameters are set. */
    enum Via {
        PROPERTIES,
        CACHE_SETTINGS
    }

    /** A bucket on the plain HTTP endpoint with the right credentials; each test changes what it is about. */
    private static Map<String, String> s3() {
        Map<String, String> s3 = new LinkedHashMap<>();
        s3.put("bucket-name", BUCKET);
        s3.put("endpoint-url", server.endpoint().toString());
        s3.put("aws-access-key-id", S3ProxyServer.ACCESS_KEY);
        s3.put("aws-secret-access-key", S3ProxyServer.SECRET_KEY);
        return s3;
    }

    @ParameterizedTest
    @EnumSource
    void bucketNameIsWhereObjectsLand(Via via) {
        server.createBucket("other-bucket");
        Map<String, String> s3 = s3();
        s3.put("bucket-name", "other-bucket");
        run(via, s3, context -> {
            ChatCompletion answer = askTwiceExpectingAHit(context);
            assertThat(server.keys("other-bucket")).containsExactly("litellm-cache/" + answer.cacheKey());
            assertThat(server.keys(BUCKET)).isEmpty();
        });
    }

    @ParameterizedTest
    @EnumSource
    void regionNameIsTheSigningRegion(Via via) {
        Map<String, String> s3 = s3();
        s3.put("region-name", "eu-west-3");
        run(via, s3, context -> {
            askTwiceExpectingAHit(context);
            assertThat(this.recorder.requests())
                    .allSatisfy(request -> assertThat(request.firstMatchingHeader("Authorization"))
                            .hasValueSatisfying(
                                    authorization -> assertThat(authorization).contains("/eu-west-3/s3/aws4_request")));
        });
    }

    @ParameterizedTest
    @EnumSource
    void apiVersionIsAcceptedAndLoggedAsHavingNoEffect(Via via, CapturedOutput output) {
        Map<String, String> s3 = s3();
        s3.put("api-version", "2006-03-01");
        run(via, s3, context -> askTwiceExpectingAHit(context));
        assertThat(output).contains("INFO").contains("api-version").contains("has no effect");
    }

    @ParameterizedTest
    @EnumSource
    void useSslFalseMeansPlainHttpEvenForAnHttpsEndpointUrl(Via via) {
        Map<String, String> s3 = s3();
        s3.put("endpoint-url", "https://127.0.0.1:" + server.endpoint().getPort());
        s3.put("use-ssl", "false");
        run(via, s3, context -> {
            askTwiceExpectingAHit(context);
            assertThat(this.recorder.requests())
                    .allSatisfy(request -> assertThat(request.protocol()).isEqualTo("http"));
        });
    }

    @ParameterizedTest
    @EnumSource
    void useSslChoosesTheSchemeOfTheAwsEndpoint(Via via) {
        this.recorder.abort();
        for (boolean useSsl : new boolean[] {false, true}) {
            this.recorder.clear();
            Map<String, String> s3 = s3();
            s3.remove("endpoint-url");
            s3.put("region-name", "eu-west-1");
            s3.put("use-ssl", String.valueOf(useSsl));
            run(via, s3, context -> {
                askTwiceExpectingMisses(context);
                assertThat(this.recorder.requests())
                        .isNotEmpty()
                        .allSatisfy(request -> assertThat(request.getUri())
                                .hasScheme(useSsl ? "https" : "http")
                                .hasHost(BUCKET + ".s3.eu-west-1.amazonaws.com"));
            });
        }
    }

    @ParameterizedTest
    @EnumSource
    void verifyWithAPathTrustsThatCaBundle(Via via) {
        Map<String, String> s3 = s3();
        s3.put("endpoint-url", server.secureEndpoint().toString());
        s3.put("verify", server.caBundle().toString());
        run(via, s3, context -> {
            askTwiceExpectingAHit(context);
            assertThat(this.recorder.requests())
                    .allSatisfy(request -> assertThat(request.protocol()).isEqualTo("https"));
        });
    }

    @ParameterizedTest
    @EnumSource
    void verifyTrueRejectsAnUntrustedCertificateAndCallsStillSucceed(Via via, CapturedOutput output) {
        Map<String, String> s3 = s3();
        s3.put("endpoint-url", server.secureEndpoint().toString());
        s3.put("verify", "true");
        run(via, s3, context -> askTwiceExpectingMisses(context));
        assertThat(output).contains("WARN").containsIgnoringCase("certification path");
    }

    @ParameterizedTest
    @EnumSource
    void verifyFalseTrustsAnyCertificateForThisClientWithAWarning(Via via, CapturedOutput output) {
        Map<String, String> s3 = s3();
        s3.put("endpoint-url", server.secureEndpoint().toString());
        s3.put("verify", "false");
        run(via, s3, context -> askTwiceExpectingAHit(context));
        assertThat(output).contains("WARN").contains("trusts any certificate");
        HttpRequest request = HttpRequest.newBuilder(server.secureEndpoint()).build();
        assertThatExceptionOfType(SSLHandshakeException.class)
                .as("the JVM's own trust is unchanged")
                .isThrownBy(() -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()));
    }

    @ParameterizedTest
    @EnumSource
    void endpointUrlIsReachedWithPathStyleAccess(Via via) {
        run(via, s3(), context -> {
            askTwiceExpectingAHit(context);
            assertThat(this.recorder.requests()).allSatisfy(request -> {
                assertThat(request.host()).isEqualTo("127.0.0.1");
                assertThat(request.port()).isEqualTo(server.endpoint().getPort());
                assertThat(request.encodedPath()).startsWith("/" + BUCKET + "/");
            });
        });
    }

    @ParameterizedTest
    @EnumSource
    void accessKeyIdAndSecretSignTheRequests(Via via) {
        run(via, s3(), context -> {
            askTwiceExpectingAHit(context);
            assertThat(this.recorder.requests())
                    .allSatisfy(request -> assertThat(request.firstMatchingHeader("Authorization"))
                            .hasValueSatisfying(authorization -> assertThat(authorization)
                                    .startsWith("AWS4-HMAC-SHA256 Credential=" + S3ProxyServer.ACCESS_KEY + "/")));
        });
    }

    @ParameterizedTest
    @EnumSource
    void wrongSecretIsAnswered403AndLoggedWithoutTheSecretAndCallsStillSucceed(Via via, CapturedOutput output) {
        Map<String, String> s3 = s3();
        s3.put("aws-secret-access-key", "wrong-secret-value");
        run(via, s3, context -> askTwiceExpectingMisses(context));
        assertThat(output)
                .contains("ERROR")
                .contains("'" + BUCKET + "'")
                .contains("HTTP 403")
                .doesNotContain("wrong-secret-value")
                .doesNotContain(S3ProxyServer.SECRET_KEY);
    }

    @ParameterizedTest
    @EnumSource
    void sessionTokenIsSentAsTheSecurityToken(Via via) {
        Map<String, String> s3 = s3();
        s3.put("aws-session-token", "session-token-value");
        run(via, s3, context -> {
            askTwiceExpectingMissesOrAHit(context);
            assertThat(this.recorder.requests())
                    .isNotEmpty()
                    .allSatisfy(request -> assertThat(request.firstMatchingHeader("X-Amz-Security-Token"))
                            .hasValue("session-token-value"));
        });
    }

    @ParameterizedTest
    @EnumSource
    void everyCustomizerBeanAdjustsTheClientLikeS3Config(Via via) {
        AtomicInteger counted = new AtomicInteger();
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                counted.incrementAndGet();
            }
        };
        this.contextRunner
                .withBean("counting", S3CacheClientCustomizer.class, () -> intercepting(counter))
                .withPropertyValues(properties(via, s3()))
                .run(context -> {
                    applySettings(via, s3(), context);
                    askTwiceExpectingAHit(context);
                    assertThat(counted.get())
                            .as("every request, retries included")
                            .isEqualTo(this.recorder.requests().size())
                            .isGreaterThanOrEqualTo(3);
                });
    }

    @ParameterizedTest
    @EnumSource
    void pathIsTheObjectKeyPrefix(Via via) {
        Map<String, String> s3 = s3();
        s3.put("path", "team-a/llm");
        run(via, s3, context -> {
            ChatCompletion answer = askTwiceExpectingAHit(context);
            assertThat(server.keys(BUCKET)).containsExactly("team-a/llm/" + answer.cacheKey());
        });
    }

    /** A customizer adding {@code interceptor} to the override configuration, keeping what other customizers added. */
    private static S3CacheClientCustomizer intercepting(ExecutionInterceptor interceptor) {
        return builder -> builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                .addExecutionInterceptor(interceptor)
                .build());
    }

    private void run(Via via, Map<String, String> s3, ContextConsumer<AssertableApplicationContext> test) {
        this.contextRunner.withPropertyValues(properties(via, s3)).run(context -> {
            applySettings(via, s3, context);
            test.accept(context);
        });
    }

    private static String[] properties(Via via, Map<String, String> s3) {
        if (via != Via.PROPERTIES) {
            return new String[0];
        }
        List<String> properties = new ArrayList<>(List.of("litellm.cache.type=s3"));
        s3.forEach((name, value) -> properties.add("litellm.cache.s3." + name + "=" + value));
        return properties.toArray(String[]::new);
    }

    private static void applySettings(Via via, Map<String, String> s3, AssertableApplicationContext context) {
        if (via == Via.CACHE_SETTINGS) {
            LlmCache cache = context.getBean(LlmCache.class);
            assertThat(cache.settings().type()).isEqualTo(CacheType.LOCAL);
            cache.update(settings(cache.settings(), s3));
        }
    }

    /** {@code current} (its timeout, 2s, included) with type S3 and the S3 parameters of {@code s3}. */
    private static CacheSettings settings(CacheSettings current, Map<String, String> s3) {
        CacheSettings.Builder builder = current.toBuilder().type(CacheType.S3);
        s3.forEach((name, value) -> {
            switch (name) {
                case "bucket-name" -> builder.s3BucketName(value);
                case "region-name" -> builder.s3RegionName(value);
                case "api-version" -> builder.s3ApiVersion(value);
                case "use-ssl" -> builder.s3UseSsl(Boolean.valueOf(value));
                case "verify" -> builder.s3Verify(value);
                case "endpoint-url" -> builder.s3EndpointUrl(value);
                case "aws-access-key-id" -> builder.s3AwsAccessKeyId(value);
                case "aws-secret-access-key" -> builder.s3AwsSecretAccessKey(value);
                case "aws-session-token" -> builder.s3AwsSessionToken(value);
                case "path" -> builder.s3Path(value);
                default -> throw new IllegalArgumentException(name);
            }
        });
        return builder.build();
    }

    private ChatCompletion askTwiceExpectingAHit(AssertableApplicationContext context) {
        CompletionService service = context.getBean(CompletionService.class);
        ChatCompletion first = service.completion(question());
        ChatCompletion second = service.completion(question());
        assertThat(first.cacheHit()).isFalse();
        assertThat(second.cacheHit()).isTrue();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(this.provider.requestCount()).isEqualTo(1);
        return first;
    }

    private void askTwiceExpectingMisses(AssertableApplicationContext context) {
        int before = this.provider.requestCount();
        CompletionService service = context.getBean(CompletionService.class);
        assertThat(service.completion(question()).cacheHit()).isFalse();
        assertThat(service.acompletion(question()).block().cacheHit()).isFalse();
        assertThat(this.provider.requestCount()).isEqualTo(before + 2);
    }

    private void askTwiceExpectingMissesOrAHit(AssertableApplicationContext context) {
        CompletionService service = context.getBean(CompletionService.class);
        assertThat(service.completion(question()).content()).isNotNull();
        assertThat(service.completion(question()).content()).isNotNull();
    }

    private static ChatCompletionRequest question() {
        return question("which parameter?");
    }

    /** Records the requests of the dedicated client; when aborting, fails each before it is sent. */
    static final class Recorder implements ExecutionInterceptor {

        private final List<SdkHttpRequest> requests = new CopyOnWriteArrayList<>();

        private volatile boolean abort;

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            this.requests.add(context.httpRequest());
            if (this.abort) {
                throw new IllegalStateException("not sent: the test only records the request");
            }
        }

        List<SdkHttpRequest> requests() {
            return List.copyOf(this.requests);
        }

        void abort() {
            this.abort = true;
        }

        void clear() {
            this.requests.clear();
        }
    }
}
