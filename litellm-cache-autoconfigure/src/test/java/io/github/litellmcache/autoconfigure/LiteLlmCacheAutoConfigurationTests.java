package io.github.litellmcache.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheKeyGenerator;
import io.github.litellmcache.cache.CacheMode;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.cache.DefaultCacheKeyGenerator;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.LocalLimits;
import io.github.litellmcache.cache.RedisConnection;
import io.github.litellmcache.cache.S3Connection;
import io.github.litellmcache.cache.Timeouts;
import io.github.litellmcache.cache.local.LocalCacheBackend;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.completion.ProviderCompletionService;
import io.github.litellmcache.completion.ProviderEndpoint;
import io.github.litellmcache.completion.ProviderRouter;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.CountingCompletionService;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.Mockito;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.test.util.AopTestUtils;
import org.springframework.util.unit.DataSize;

class LiteLlmCacheAutoConfigurationTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class));

    @Test
    void completionServiceIsTheProviderClientWrappedByTheCache() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            assertThat(AopUtils.isAopProxy(service)).isTrue();
            assertThat(AopUtils.getTargetClass(service)).isEqualTo(ProviderCompletionService.class);
            assertThat(context).hasSingleBean(LlmCache.class);
            assertThat(context.getBean(CacheKeyGenerator.class)).isInstanceOf(DefaultCacheKeyGenerator.class);
            assertThat(context.getBean(LlmCache.class).backend()).isInstanceOf(LocalCacheBackend.class);
        });
    }

    @Test
    void callsOfTheServiceBypassAnLlmCacheMockedAsAnApplicationsTestsMockIt() {
        this.contextRunner
                .withBean(LlmCache.class, () -> Mockito.mock(LlmCache.class))
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);

                    ChatCompletion first = service.completion(question("mocked cache"));
                    ChatCompletion second = service.completion(question("mocked cache"));

                    assertThat(first.cacheHit()).isFalse();
                    assertThat(second.cacheHit()).isFalse();
                    assertThat(this.provider.requestCount()).isEqualTo(2);
                });
    }

    @Test
    void propertiesBecomeTheCacheSettings() {
        this.contextRunner
                .withPropertyValues(
                        "litellm.cache.mode=default-off",
                        "litellm.cache.supported-call-types=completion,embedding",
                        "litellm.cache.ttl=10m",
                        "litellm.cache.namespace=team",
                        "litellm.cache.redis.password=hunter2")
                .run(context -> {
                    LlmCache cache = context.getBean(LlmCache.class);
                    assertThat(cache.settings().mode()).isEqualTo(CacheMode.DEFAULT_OFF);
                    assertThat(cache.settings().supportedCallTypes())
                            .containsExactlyInAnyOrder(CallType.COMPLETION, CallType.EMBEDDING);
                    assertThat(cache.settings().ttl()).isEqualTo(Duration.ofMinutes(10));
                    assertThat(cache.settings().namespace()).isEqualTo("team");
                    assertThat(cache.settings().toString()).doesNotContain("hunter2");
                });
    }

    @Test
    void propertiesBindOneRecordPerConcern() {
        this.contextRunner
                .withPropertyValues(
                        "litellm.cache.local.maximum-size=5",
                        "litellm.cache.local.max-memory=16MB",
                        "litellm.cache.redis.host=redis.internal",
                        "litellm.cache.redis.port=6380",
                        "litellm.cache.redis.password=hunter2",
                        "litellm.cache.redis.key-prefix=app:",
                        "litellm.cache.s3.bucket-name=bucket",
                        "litellm.cache.s3.path=cache",
                        "litellm.cache.s3.region-name=eu-west-1",
                        "litellm.cache.s3.endpoint-url=http://127.0.0.1:9000",
                        "litellm.cache.s3.use-ssl=false",
                        "litellm.cache.s3.verify=false",
                        "litellm.cache.s3.aws-access-key-id=id",
                        "litellm.cache.s3.aws-secret-access-key=secret",
                        "litellm.cache.s3.aws-session-token=token",
                        "litellm.cache.s3.api-version=2006-03-01",
                        "litellm.cache.timeout=1s",
                        "litellm.cache.cooldown=30s")
                .run(context -> {
                    CacheSettings settings = context.getBean(LlmCache.class).settings();
                    assertThat(settings.local()).isEqualTo(new LocalLimits(5, DataSize.ofMegabytes(16)));
                    assertThat(settings.redis())
                            .isEqualTo(new RedisConnection("redis.internal", 6380, "hunter2", "app:"));
                    assertThat(settings.s3())
                            .isEqualTo(new S3Connection(
                                    "bucket",
                                    "cache",
                                    "eu-west-1",
                                    "http://127.0.0.1:9000",
                                    false,
                                    "false",
                                    "id",
                                    "secret",
                                    "token",
                                    "2006-03-01"));
                    assertThat(settings.timeouts())
                            .isEqualTo(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(30)));
                });
    }

    @Test
    void propertyDefaultsAreTheDefaultSettings() {
        this.contextRunner.run(context -> {
            CacheSettings settings = context.getBean(LlmCache.class).settings();
            CacheSettings defaults = CacheSettings.defaults();
            assertThat(settings.local()).isEqualTo(defaults.local());
            assertThat(settings.redis()).isEqualTo(defaults.redis());
            assertThat(settings.s3()).isEqualTo(defaults.s3());
            assertThat(settings.timeouts()).isEqualTo(defaults.timeouts());
        });
    }

    @Test
    void providerRouterIsABeanOfTheCompletionAutoConfigurationEvenWithoutWebClient() {
        this.contextRunner
                .withClassLoader(new FilteredClassLoader("org.springframework.web.reactive.function.client"))
                .run(context -> assertThat(context).hasSingleBean(ProviderRouter.class));
        assertThat(LiteLlmCacheAutoConfiguration.class
                        .getAnnotation(EnableConfigurationProperties.class)
                        .value())
                .as("the cache binds only its own properties")
                .containsExactly(LiteLlmCacheProperties.class);
    }

    /** As set by {@code litellm.openai.api-base=${OPENAI_API_BASE:}} without the variable: else every call fails. */
    @Test
    void aBlankOpenAiApiBaseMeansOpenAisOwn() {
        this.contextRunner
                .withPropertyValues("litellm.openai.api-base=")
                .run(context -> assertThat(context.getBean(LiteLlmProviderProperties.class)
                                .getOpenai()
                                .getApiBase())
                        .isEqualTo("https://api.openai.com/v1"));
    }

    @Test
    void userProviderRouterIsUsedByTheKeyGenerator() {
        ProviderRouter router = new ProviderRouter(
                new ProviderEndpoint("http://127.0.0.1:1/v1", null, null), new ProviderEndpoint(null, null, null));
        this.contextRunner.withBean(ProviderRouter.class, () -> router).run(context -> {
            assertThat(context).hasSingleBean(ProviderRouter.class);
            assertThat(context.getBean(CacheKeyGenerator.class).generateKey(CallType.COMPLETION, question("q")))
                    .isEqualTo(new DefaultCacheKeyGenerator(router).generateKey(CallType.COMPLETION, question("q")));
        });
    }

    @Test
    void autoConfigurationsAreOrderedAfterWebClientAndEachOther() {
        assertThat(LiteLlmCompletionAutoConfiguration.class
                        .getAnnotation(AutoConfiguration.class)
                        .afterName())
                .containsExactly(WebClientAutoConfiguration.class.getName());
        assertThat(LiteLlmCacheAutoConfiguration.class
                        .getAnnotation(AutoConfiguration.class)
                        .after())
                .containsExactly(LiteLlmCompletionAutoConfiguration.class);
    }

    @Test
    void webClientCustomizersApplyToProviderCalls() {
        this.contextRunner.withUserConfiguration(HeaderCustomizer.class).run(context -> {
            context.getBean(CompletionService.class).completion(question("q"));
            assertThat(this.provider.lastRequest().getHeaders().get("X-Tenant")).isEqualTo("acme");
        });
    }

    /** 100 vectors of 1,536 dimensions: 800 KB in base64, more than Boot's default buffer of 256 KB. */
    @Test
    void aBatchOfEmbeddingsLargerThanBootsDefaultBufferIsRead() {
        answerWithVectorsOf(1_536);
        this.contextRunner.run(context -> assertThat(context.getBean(CompletionService.class)
                        .embedding("text-embedding-3-small", inputs(100))
                        .data())
                .hasSize(100)
                .allSatisfy(embedding -> assertThat(embedding.dimensions()).isEqualTo(1_536)));
    }

    @Test
    void maxResponseSizeBoundsTheProvidersAnswersNamingItself() {
        answerWithVectorsOf(1_536);
        this.contextRunner
                .withPropertyValues("litellm.max-response-size=512KB")
                .run(context -> assertThatExceptionOfType(LlmException.class)
                        .isThrownBy(() -> context.getBean(CompletionService.class)
                                .embedding("text-embedding-3-small", inputs(100)))
                        .withMessageContaining("litellm.max-response-size"));
    }

    /** The provider answers every embedding with a vector of {@code dimensions} values, base64-encoded. */
    private void answerWithVectorsOf(int dimensions) {
        ByteBuffer vector = ByteBuffer.allocate(Float.BYTES * dimensions).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < dimensions; i++) {
            vector.putFloat(-0.012345678f * i);
        }
        this.provider.answerEveryEmbeddingWith(Base64.getEncoder().encodeToString(vector.array()));
    }

    private static List<String> inputs(int count) {
        return IntStream.range(0, count).mapToObj(i -> "text " + i).toList();
    }

    @Test
    void startsWithoutCreatingOrConnectingTheBackendBeforeTheFirstCall() {
        this.contextRunner
                .withUserConfiguration(CountingBackendConfiguration.class)
                .run(context -> {
                    CountingBackend backend = context.getBean(CountingBackend.class);
                    assertThat(backend.operations).hasValue(0);
                    context.getBean(CompletionService.class).completion(question("q"));
                    assertThat(backend.operations)
                            .as("a read, the flight leader's second read, a write")
                            .hasValue(3);
                });
    }

    @Nested
    class BackOff {

        @Test
        void userCompletionServiceIsUsedAndStillCached() {
            contextRunner.withUserConfiguration(FixedCompletionService.class).run(context -> {
                CompletionService service = context.getBean(CompletionService.class);
                assertThat(AopUtils.getTargetClass(service)).isEqualTo(FixedCompletionService.Service.class);
                assertThat(service.completion(question("q")).cacheHit()).isFalse();
                assertThat(service.completion(question("q")).cacheHit()).isTrue();
                FixedCompletionService.Service target = AopTestUtils.getTargetObject(service);
                assertThat(target.calls())
                        .as("the second call never reached the service")
                        .isEqualTo(1);
            });
        }

        @Test
        void userKeyGeneratorReplacesTheDefault() {
            contextRunner
                    .withBean(CacheKeyGenerator.class, () -> (callType, request) -> "constant")
                    .run(context -> {
                        assertThat(context).hasSingleBean(CacheKeyGenerator.class);
                        assertThat(context.getBean(CacheKeyGenerator.class))
                                .isNotInstanceOf(DefaultCacheKeyGenerator.class);
                    });
        }

        @Test
        void userBackendReplacesTheConfiguredOne() {
            contextRunner
                    .withUserConfiguration(CountingBackendConfiguration.class)
                    .run(context -> {
                        assertThat(context).hasSingleBean(CacheBackend.class);
                        assertThat(context.getBean(LlmCache.class).backend()).isInstanceOf(CountingBackend.class);
                    });
        }
    }

    @Nested
    class WithoutOptionalLibraries {

        @Test
        void worksWithoutRedisAndAwsJars() {
            contextRunner
                    .withClassLoader(new FilteredClassLoader(
                            "org.springframework.data.redis", "io.lettuce", "software.amazon.awssdk", "io.awspring"))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        CompletionService service = context.getBean(CompletionService.class);
                        service.completion(question("q"));
                        assertThat(service.completion(question("q")).cacheHit()).isTrue();
                    });
        }

        @Test
        void redisTypeWithoutItsLibraryFailsNamingTheDependency() {
            contextRunner
                    .withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "io.lettuce"))
                    .withPropertyValues("litellm.cache.type=redis")
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getAction())
                            .contains("spring-boot-starter-data-redis"));
        }

        /** spring-boot-starter-data-redis with Lettuce excluded for Jedis, as Boot documents: the starter is there. */
        @Test
        void redisTypeWithSpringDataRedisButWithoutLettuceFailsNamingLettuce() {
            contextRunner
                    .withClassLoader(new FilteredClassLoader("io.lettuce"))
                    .withPropertyValues("litellm.cache.type=redis", "litellm.cache.redis.host=localhost")
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getAction())
                            .contains("io.lettuce:lettuce-core"));
        }

        @Test
        void s3TypeWithoutItsLibraryFailsNamingTheDependency() {
            contextRunner
                    .withClassLoader(new FilteredClassLoader("software.amazon.awssdk", "io.awspring"))
                    .withPropertyValues("litellm.cache.type=s3", "litellm.cache.s3.bucket-name=cache")
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getAction())
                            .contains("spring-cloud-aws-starter-s3"));
        }

        @Test
        void s3TypeWithoutItsLibraryNamesTheBomThatManagesItsVersion() {
            contextRunner
                    .withClassLoader(new FilteredClassLoader("software.amazon.awssdk", "io.awspring"))
                    .withPropertyValues("litellm.cache.type=s3", "litellm.cache.s3.bucket-name=cache")
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getAction())
                            .contains("io.awspring.cloud:spring-cloud-aws-dependencies"));
        }

        @Test
        void localTypeWithoutCaffeineFailsNamingTheDependency() {
            contextRunner
                    .withClassLoader(new FilteredClassLoader("com.github.benmanes.caffeine"))
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getAction())
                            .contains("com.github.ben-manes.caffeine:caffeine"));
        }

        @Test
        void withoutWebClientThereIsNoProviderClientButTheCacheStillWrapsAUserService() {
            contextRunner
                    .withClassLoader(new FilteredClassLoader("org.springframework.web.reactive.function.client"))
                    .withUserConfiguration(FixedCompletionService.class)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        CompletionService service = context.getBean(CompletionService.class);
                        service.completion(question("q"));
                        assertThat(service.completion(question("q")).cacheHit()).isTrue();
                    });
        }
    }

    @Nested
    class InvalidValues {

        @Test
        void unknownTypeNamesThePropertyAndTheValidValues() {
            contextRunner.withPropertyValues("litellm.cache.type=memcached").run(context -> {
                FailureAnalysis analysis = analyze(context.getStartupFailure());
                assertThat(analysis.getDescription())
                        .contains("litellm.cache.type")
                        .contains("memcached");
                assertThat(analysis.getAction()).contains("local, redis, s3");
            });
        }

        @Test
        void unknownCallTypeNamesTheValidValues() {
            contextRunner
                    .withPropertyValues("litellm.cache.supported-call-types=completion,transcription")
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getAction())
                            .contains("completion, acompletion, embedding, aembedding"));
        }

        /** Else every call would bypass the cache while the endpoint and health report it enabled. */
        @Test
        void anEmptyListOfSupportedCallTypesStopsStartupSayingHowToTurnTheCacheOff() {
            assertRefused(
                    "of litellm.cache.supported-call-types",
                    "to turn the cache off, set litellm.cache.enabled=false",
                    "litellm.cache.supported-call-types=");
        }

        @Test
        void negativeTtlNamesThePropertyAndWhatToSet() {
            contextRunner.withPropertyValues("litellm.cache.ttl=-5s").run(context -> {
                FailureAnalysis analysis = analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("litellm.cache.ttl");
                assertThat(analysis.getAction()).contains("positive duration");
            });
        }

        @ParameterizedTest
        @ValueSource(strings = {"litellm.cache.ttl", "litellm.cache.stale-if-error"})
        void aDurationOverTenYearsIsShownAsWrittenInTheProperty(String property) {
            contextRunner
                    .withPropertyValues(property + "=9999999d")
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getDescription())
                            .contains("'9999999d' of " + property));
        }

        @Test
        void s3WithoutABucketNamesTheBucketProperty() {
            contextRunner
                    .withPropertyValues("litellm.cache.type=s3")
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getAction())
                            .contains("litellm.cache.s3.bucket-name"));
        }

        @Test
        void negativeLocalMaximumSizeNamesThePropertyAndWhatToSet() {
            contextRunner
                    .withPropertyValues("litellm.cache.local.maximum-size=-1")
                    .run(context -> {
                        FailureAnalysis analysis = analyze(context.getStartupFailure());
                        assertThat(analysis.getDescription()).contains("litellm.cache.local.maximum-size");
                        assertThat(analysis.getAction()).contains("0 or more");
                    });
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "0MB", "-1MB"})
        void localMaxMemoryThatIsNotPositiveNamesThePropertyAndWhatToSet(String maxMemory) {
            contextRunner
                    .withPropertyValues("litellm.cache.local.max-memory=" + maxMemory)
                    .run(context -> {
                        FailureAnalysis analysis = analyze(context.getStartupFailure());
                        assertThat(analysis.getDescription()).contains("litellm.cache.local.max-memory");
                        assertThat(analysis.getAction()).contains("a positive size such as 64MB");
                    });
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "0MB", "-1MB"})
        void maxStreamSizeThatIsNotPositiveNamesThePropertyAndWhatToSet(String maxStreamSize) {
            contextRunner
                    .withPropertyValues("litellm.cache.max-stream-size=" + maxStreamSize)
                    .run(context -> {
                        FailureAnalysis analysis = analyze(context.getStartupFailure());
                        assertThat(analysis.getDescription()).contains("litellm.cache.max-stream-size");
                        assertThat(analysis.getAction()).contains("a positive size such as 4MB");
                    });
        }

        @Test
        void emptyRedisKeyPrefixNamesTheProperty() {
            contextRunner
                    .withPropertyValues("litellm.cache.redis.key-prefix=")
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getDescription())
                            .contains("litellm.cache.redis.key-prefix"));
        }

        @Test
        void redisKeyPrefixWithAGlobCharacterStopsStartupNamingThePropertyAndTheFix() {
            contextRunner
                    .withPropertyValues("litellm.cache.redis.key-prefix=app*:")
                    .run(context -> {
                        FailureAnalysis analysis = analyze(context.getStartupFailure());
                        assertThat(analysis.getDescription()).contains("litellm.cache.redis.key-prefix", "app*:");
                        assertThat(analysis.getAction()).contains("ending with ':'");
                    });
        }

        @Test
        void redisPortOutOfRangeNamesTheProperty() {
            contextRunner
                    .withPropertyValues("litellm.cache.redis.port=0")
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getDescription())
                            .contains("litellm.cache.redis.port"));
        }

        /** Else the cache would start, fail every call and stay off. */
        @Test
        void aRedisUrlAsTheHostStopsStartupNamingTheHostProperty() {
            assertRefused(
                    "litellm.cache.redis.host",
                    "spring.data.redis.url",
                    "litellm.cache.type=redis",
                    "litellm.cache.redis.host=redis://:s3cret@redis.internal:6379");
        }

        /** Else every call would fail on a URL that names nothing to fix. */
        @ParameterizedTest
        @CsvSource({
            "litellm.openai.api-base, api.openai.com/v1",
            "litellm.openai.api-base, not a url",
            "litellm.azure.api-base, ftp://my-resource.openai.azure.com",
            "litellm.azure.api-base, https://"
        })
        void anApiBaseThatIsNotAnAbsoluteHttpUrlStopsStartupNamingTheProperty(String property, String url) {
            assertRefused(property, "an absolute http or https URL", property + "=" + url);
        }

        @Test
        void anApiBaseIsShownWithoutItsCredentials() {
            contextRunner
                    .withPropertyValues("litellm.openai.api-base=https://user:s3cret@/v1")
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getDescription())
                            .contains("litellm.openai.api-base")
                            .doesNotContain("s3cret"));
        }

        /** An API key set in the place of the base URL, or one in its query, would reach the startup log. */
        @ParameterizedTest
        @CsvSource({
            "litellm.openai.api-base, sk-proj-s3cret, litellm.openai.api-base",
            "litellm.openai.api-base, api.openai.com/v1?key=s3cret, litellm.openai.api-base",
            "litellm.azure.api-base, ftp://my-resource.openai.azure.com?api-key=s3cret, 'ftp://my-resource.openai.azure.com'"
        })
        void anApiBaseIsShownOnlyAsAUrlWithoutItsQuery(String property, String url, String shown) {
            contextRunner
                    .withPropertyValues(property + "=" + url)
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getDescription())
                            .contains(property, shown)
                            .doesNotContain("s3cret"));
        }

        /** Ignored, a misspelt redis.host would put the cache on the application's Redis, or endpoint-url on AWS. */
        @Test
        void aMisspeltCachePropertyStopsStartupNamingItWithoutItsValue() {
            contextRunner
                    .withPropertyValues("litellm.cache.redis.pasword=s3cret", "litellm.cache.redis.port=6380")
                    .run(context -> {
                        FailureAnalysis analysis = analyze(context.getStartupFailure());
                        assertThat(analysis.getDescription())
                                .contains("litellm.cache.redis.pasword")
                                .doesNotContain("s3cret", "litellm.cache.redis.port");
                        assertThat(analysis.getAction()).contains("configuration reference");
                    });
        }

        /** Other tools of a host may set variables that share the prefix; only properties are checked. */
        @Test
        void anEnvironmentVariableThatNamesNoCachePropertyDoesNotStopStartup() {
            withEnvironment(Map.of("LITELLM_CACHE_DIR", "/var/cache/litellm", "LITELLM_CACHE_TTL", "5m"))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(LlmCache.class).settings().ttl())
                                .isEqualTo(Duration.ofMinutes(5));
                    });
        }

        /** Ignored, a misspelt openai.api-base would send every call, and its prompt, to OpenAI. */
        @Test
        void aMisspeltProviderPropertyStopsStartupNamingItWithoutItsValue() {
            contextRunner
                    .withPropertyValues(
                            "litellm.openai.api-bse=https://llm.internal/v1",
                            "litellm.openai.api-kye=sk-s3cret",
                            "litellm.request-timeout=30s",
                            "litellm.cache.ttl=5m")
                    .run(context -> {
                        FailureAnalysis analysis = analyze(context.getStartupFailure());
                        assertThat(analysis.getDescription())
                                .contains("litellm.openai.api-bse", "litellm.openai.api-kye")
                                .doesNotContain("s3cret", "llm.internal", "litellm.request-timeout", "litellm.cache");
                        assertThat(analysis.getAction()).contains("configuration reference");
                    });
        }

        /** LiteLLM itself reads LITELLM_LOG, and a host may run it beside the application. */
        @Test
        void anEnvironmentVariableThatNamesNoProviderPropertyDoesNotStopStartup() {
            withEnvironment(Map.of("LITELLM_LOG", "DEBUG", "LITELLM_OPENAI_MODEL", "gpt-4o"))
                    .run(context -> assertThat(context).hasNotFailed());
        }

        @Test
        void zeroTimeoutOrCooldownNamesTheProperty() {
            contextRunner
                    .withPropertyValues("litellm.cache.timeout=0ms")
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getDescription())
                            .contains("litellm.cache.timeout"));
            contextRunner
                    .withPropertyValues("litellm.cache.cooldown=0s")
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getDescription())
                            .contains("litellm.cache.cooldown"));
        }

        /** Else every remote read would miss and every write be dropped, with nothing but the metrics to tell. */
        @ParameterizedTest
        @CsvSource({"1ns, 1ns", "999us, 999000ns"})
        void aCacheTimeoutUnderAMillisecondStopsStartupNamingThePropertyAndTheRange(String timeout, String shown) {
            assertRefused(
                    "'" + shown + "' of litellm.cache.timeout",
                    "Set litellm.cache.timeout to a duration of at least 1ms and at most 3650 days such as 250ms",
                    "litellm.cache.timeout=" + timeout);
        }

        @Test
        void namespaceWithASeparatorNamesTheProperty() {
            contextRunner
                    .withPropertyValues("litellm.cache.namespace=team/a")
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getDescription())
                            .contains("litellm.cache.namespace"));
        }

        /** S3 lists such keys in XML it cannot parse, so clear() would fail for every deployment under that path. */
        @ParameterizedTest
        @ValueSource(strings = {"litellm.cache.namespace", "litellm.cache.s3.path"})
        void aNamespaceOrS3PathWithAControlCharacterStopsStartupNamingTheProperty(String property) {
            contextRunner.withPropertyValues(property + "=team\u0001a").run(context -> {
                FailureAnalysis analysis = analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains(property);
                assertThat(analysis.getAction()).contains("control character");
            });
        }

        /** S3 refuses object keys over 1,024 bytes: every write of an entry under that path would fail. */
        @Test
        void anS3PathTooLongForS3sObjectKeysStopsStartupNamingThePropertyAndTheBound() {
            assertRefused(
                    "of litellm.cache.s3.path",
                    "at most 951 bytes",
                    "litellm.cache.type=s3",
                    "litellm.cache.s3.bucket-name=cache",
                    "litellm.cache.s3.path=" + "p".repeat(1_000));
        }

        /** Else the failure would be left to Boot's generic report, and LlmCache.update would accept them. */
        @ParameterizedTest
        @CsvSource({
            "litellm.cache.s3.aws-access-key-id=AKIAEXAMPLE, litellm.cache.s3.region-name=eu-west-1",
            "litellm.cache.s3.aws-secret-access-key=s3cret, litellm.cache.s3.region-name=eu-west-1",
            "litellm.cache.s3.aws-session-token=s3cret, litellm.cache.s3.aws-access-key-id=AKIAEXAMPLE"
        })
        void incompleteS3CredentialsStopStartupNamingBothKeyProperties(String credential, String other) {
            contextRunner
                    .withPropertyValues(
                            "litellm.cache.type=s3", "litellm.cache.s3.bucket-name=cache", credential, other)
                    .run(context -> {
                        FailureAnalysis analysis = analyze(context.getStartupFailure());
                        assertThat(analysis.getDescription())
                                .contains(
                                        "litellm.cache.s3.aws-access-key-id", "litellm.cache.s3.aws-secret-access-key")
                                .doesNotContain("AKIAEXAMPLE", "s3cret");
                        assertThat(analysis.getAction()).contains("AWS default credentials");
                    });
        }

        @Test
        void malformedDurationNamesTheProperty() {
            contextRunner
                    .withPropertyValues("litellm.cache.timeout=soon")
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getDescription())
                            .contains("litellm.cache.timeout"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"-5s", "9999999d"})
        void aMockLatencyThatIsNegativeOrOverTenYearsStopsStartupNamingThePropertyAndTheRange(String latency) {
            assertRefused(
                    "'" + latency + "' of litellm.mock.latency",
                    "zero or a positive duration of at most 3650 days such as 20ms",
                    "litellm.mock.enabled=true",
                    "litellm.mock.latency=" + latency);
        }

        @ParameterizedTest
        @ValueSource(strings = {"0B", "-1MB", "2GB"})
        void aMaxResponseSizeThatIsNotPositiveOrOverTheLargestBufferStopsStartupNamingThePropertyAndTheRange(
                String size) {
            assertRefused(
                    "of litellm.max-response-size",
                    "a positive size of at most 2047MB such as 64MB",
                    "litellm.max-response-size=" + size);
        }

        /** Boot's own analyzer would report the binding of every litellm.* property, not this one. */
        @ParameterizedTest
        @ValueSource(strings = {"0s", "-1s", "9999999d"})
        void aRequestTimeoutThatIsNotPositiveOrOverTenYearsStopsStartupNamingThePropertyAndTheRange(String timeout) {
            assertRefused(
                    "of litellm.request-timeout",
                    "a positive duration of at most 3650 days such as 10m",
                    "litellm.request-timeout=" + timeout);
        }

        @ParameterizedTest
        @CsvSource({
            "litellm.cache.local.max-memory=lots, 64MB",
            "litellm.cache.near.max-memory=9000000TB, 64MB",
            "litellm.cache.max-stream-size=lots, 64MB",
            "litellm.cache.redis.port=abc, Integer",
            "litellm.cache.s3.use-ssl=maybe, true or false"
        })
        void aMalformedSizeNumberOrBooleanIsNotExplainedAsADuration(String property, String expected) {
            contextRunner
                    .withPropertyValues(property)
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getAction())
                            .contains(expected)
                            .doesNotContain("250ms"));
        }

        /** Such as a Redis URL put in the port from the variable that holds it. */
        @Test
        void aValueThatCannotBeBoundIsShownWithoutTheCredentialsItHolds() {
            contextRunner
                    .withPropertyValues("litellm.cache.redis.port=redis://:s3cret@redis.internal:6379")
                    .run(context -> assertThat(
                                    analyze(context.getStartupFailure()).getDescription())
                            .contains("litellm.cache.redis.port", "@redis.internal:6379")
                            .doesNotContain("s3cret"));
        }

        @Test
        void otherFailuresAreLeftToOtherAnalyzers() {
            assertThat(new LiteLlmCacheFailureAnalyzer().analyze(new IllegalStateException("unrelated")))
                    .isNull();
        }

        /**
         * Else every Azure call would fail on a URL that names nothing to fix; LiteLLM's variable is read when
         * litellm.azure.api-base is unset, the relaxed names are bound to the properties.
         */
        @ParameterizedTest
        @CsvSource({
            "AZURE_API_BASE, AZURE_API_BASE",
            "LITELLM_AZURE_API_BASE, litellm.azure.api-base",
            "LITELLM_OPENAI_API_BASE, litellm.openai.api-base"
        })
        void anApiBaseFromTheEnvironmentThatIsNotAnAbsoluteHttpUrlStopsStartupNamingTheVariable(
                String variable, String named) {
            withEnvironment(Map.of(variable, "https://user:s3cret@my-resource.openai.azure.com:port"))
                    .run(context -> {
                        FailureAnalysis analysis = analyze(context.getStartupFailure());
                        assertThat(analysis.getDescription())
                                .contains("of " + named)
                                .doesNotContain("s3cret");
                        assertThat(analysis.getAction()).contains("an absolute http or https URL");
                    });
        }

        /** A runner with these environment variables and no property that sets the provider. */
        private ApplicationContextRunner withEnvironment(Map<String, Object> variables) {
            return new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(
                            LiteLlmCompletionAutoConfiguration.class, LiteLlmCacheAutoConfiguration.class))
                    .withInitializer(context -> context.getEnvironment()
                            .getPropertySources()
                            .replace(
                                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                    new SystemEnvironmentPropertySource(
                                            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables)));
        }

        /** Starting with {@code properties} fails with an analysis whose description and action hold these texts. */
        private void assertRefused(String description, String action, String... properties) {
            contextRunner.withPropertyValues(properties).run(context -> {
                FailureAnalysis analysis = analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains(description);
                assertThat(analysis.getAction()).contains(action);
            });
        }
    }

    private static FailureAnalysis analyze(@Nullable Throwable failure) {
        assertThat(failure).as("startup failure").isNotNull();
        FailureAnalysis analysis = new LiteLlmCacheFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("analysis of " + failure).isNotNull();
        return analysis;
    }

    @Configuration(proxyBeanMethods = false)
    static class HeaderCustomizer {

        @Bean
        WebClientCustomizer tenantHeader() {
            return builder -> builder.defaultHeader("X-Tenant", "acme");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FixedCompletionService {

        @Bean
        Service fixedCompletionService() {
            return new Service();
        }

        static class Service extends CountingCompletionService {}
    }

    @Configuration(proxyBeanMethods = false)
    static class CountingBackendConfiguration {

        @Bean
        CountingBackend countingBackend() {
            return new CountingBackend();
        }
    }

    static class CountingBackend implements CacheBackend {

        final AtomicInteger operations = new AtomicInteger();

        private final Map<CacheKey, CacheEntry> entries = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public boolean isInProcess() {
            return true;
        }

        @Override
        public @Nullable CacheEntry get(CacheKey key) {
            this.operations.incrementAndGet();
            return this.entries.get(key);
        }

        @Override
        public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
            this.operations.incrementAndGet();
            this.entries.put(key, entry);
        }

        @Override
        public void clear() {
            this.entries.clear();
        }
    }
}
