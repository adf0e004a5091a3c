package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Which calls read and write the cache: supported call types, {@code caching}, the default-off
 * mode, the per-request options (no-cache, no-store, TTL, s-maxage, namespace) and the configured
 * TTL and namespace; errors and invalid requests are never cached. End to end: the starter's
 * auto-configuration, the local backend and a real HTTP fake of the provider.
 */
class CachingRulesTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withPropertyValues("litellm.openai.api-key=sk-test-secret-key");

    private static CompletionService service(AssertableApplicationContext context) {
        return context.getBean(CompletionService.class);
    }

    @Test
    void callTypeOutsideSupportedCallTypesNeitherReadsNorWrites() {
        this.contextRunner
                .withPropertyValues("litellm.cache.supported-call-types=acompletion")
                .run(context -> {
                    ChatCompletion first = service(context).completion(question("q"));
                    ChatCompletion second = service(context).completion(question("q"));
                    assertThat(first.cacheKey()).isNull();
                    assertThat(second.cacheHit()).isFalse();
                    ChatCompletion reactive =
                            service(context).acompletion(question("q")).block();
                    assertThat(reactive.cacheHit())
                            .as("completion wrote nothing")
                            .isFalse();
                    assertThat(service(context).completion(question("q")).cacheHit())
                            .as("completion does not read what acompletion stored")
                            .isFalse();
                    assertThat(service(context)
                                    .acompletion(question("q"))
                                    .block()
                                    .cacheHit())
                            .isTrue();
                    assertThat(this.provider.requestCount()).isEqualTo(4);
                });
    }

    @Test
    void cachingFalseBypassesReadAndWrite() {
        this.contextRunner.run(context -> {
            service(context).completion(question("q"));
            ChatCompletion bypassed = service(context).completion(question("q", b -> b.caching(false)));
            assertThat(bypassed.cacheHit()).isFalse();
            assertThat(bypassed.cacheKey()).isNull();
            assertThat(this.provider.requestCount()).isEqualTo(2);
            service(context).completion(question("other", b -> b.caching(false)));
            assertThat(service(context).completion(question("other")).cacheHit())
                    .as("the bypassed call stored nothing")
                    .isFalse();
        });
    }

    @Test
    void defaultOffModeCachesOnlyCallsThatOptIn() {
        this.contextRunner.withPropertyValues("litellm.cache.mode=default-off").run(context -> {
            service(context).completion(question("q"));
            assertThat(service(context).completion(question("q")).cacheHit()).isFalse();
            service(context).completion(question("q", b -> b.caching(true)));
            assertThat(service(context)
                            .completion(question("q", b -> b.caching(true)))
                            .cacheHit())
                    .isTrue();
            assertThat(this.provider.requestCount()).isEqualTo(3);
        });
    }

    @Test
    void noCacheSkipsTheReadButStoresTheFreshResponse() {
        this.contextRunner.run(context -> {
            ChatCompletion first = service(context).completion(question("q"));
            ChatCompletion fresh = service(context).completion(question("q", noCache()));
            assertThat(fresh.cacheHit()).isFalse();
            assertThat(fresh.id()).isNotEqualTo(first.id());
            ChatCompletion again = service(context).completion(question("q"));
            assertThat(again.cacheHit()).isTrue();
            assertThat(again.id()).isEqualTo(fresh.id());
        });
    }

    @Test
    void noStoreDoesNotWrite() {
        this.contextRunner.run(context -> {
            service(context).completion(question("q", options(o -> o.noStore(true))));
            assertThat(service(context).completion(question("q")).cacheHit()).isFalse();
            assertThat(service(context)
                            .completion(question("q", options(o -> o.noStore(true))))
                            .cacheHit())
                    .as("noStore still reads")
                    .isTrue();
        });
    }

    @Test
    void zeroTtlStoresNothing() {
        this.contextRunner.run(context -> {
            service(context).completion(question("q", options(o -> o.ttl(Duration.ZERO))));
            assertThat(service(context).completion(question("q")).cacheHit()).isFalse();
        });
    }

    @Test
    void perRequestTtlExpires() {
        this.contextRunner.run(context -> {
            service(context).completion(question("q", options(o -> o.ttl(Duration.ofMillis(300)))));
            assertThat(service(context).completion(question("q")).cacheHit()).isTrue();
            Thread.sleep(500);
            assertThat(service(context).completion(question("q")).cacheHit()).isFalse();
        });
    }

    @Test
    void ttlPropertyExpiresEntries() {
        this.contextRunner.withPropertyValues("litellm.cache.ttl=300ms").run(context -> {
            service(context).completion(question("q"));
            assertThat(service(context).completion(question("q")).cacheHit()).isTrue();
            Thread.sleep(500);
            assertThat(service(context).completion(question("q")).cacheHit()).isFalse();
        });
    }

    @Test
    void perRequestTtlOverridesTheTtlProperty() {
        this.contextRunner.withPropertyValues("litellm.cache.ttl=200ms").run(context -> {
            service(context).completion(question("q", options(o -> o.ttl(Duration.ofMinutes(5)))));
            Thread.sleep(400);
            assertThat(service(context).completion(question("q")).cacheHit()).isTrue();
        });
    }

    @Test
    void sMaxAgeAcceptsOnlyYoungEnoughEntries() {
        this.contextRunner.run(context -> {
            ChatCompletion first = service(context).completion(question("q"));
            assertThat(service(context)
                            .completion(question("q", options(o -> o.sMaxAge(Duration.ofMinutes(1)))))
                            .cacheHit())
                    .isTrue();
            Thread.sleep(300);
            ChatCompletion tooOld =
                    service(context).completion(question("q", options(o -> o.sMaxAge(Duration.ofMillis(200)))));
            assertThat(tooOld.cacheHit()).isFalse();
            assertThat(tooOld.id()).isNotEqualTo(first.id());
            assertThat(service(context).completion(question("q")).id())
                    .as("the fresh response replaced the old entry")
                    .isEqualTo(tooOld.id());
        });
    }

    @Test
    void zeroSMaxAgeNeverAcceptsAnEntry() {
        this.contextRunner.run(context -> {
            service(context).completion(question("q"));
            assertThat(service(context)
                            .completion(question("q", options(o -> o.sMaxAge(Duration.ZERO))))
                            .cacheHit())
                    .isFalse();
        });
    }

    @Test
    void namespacesAreKeptApart() {
        this.contextRunner.withPropertyValues("litellm.cache.namespace=app").run(context -> {
            ChatCompletion inDefault = service(context).completion(question("q"));
            ChatCompletion inTeam = service(context).completion(question("q", options(o -> o.namespace("team"))));
            assertThat(inTeam.cacheHit()).isFalse();
            assertThat(service(context)
                            .completion(question("q", options(o -> o.namespace("team"))))
                            .id())
                    .isEqualTo(inTeam.id());
            assertThat(service(context).completion(question("q")).id()).isEqualTo(inDefault.id());
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void providerErrorsRaiseLlmExceptionAndAreNotCached() {
        this.contextRunner.run(context -> {
            this.provider.fail(
                    429, "{\"error\":{\"message\":\"Rate limit reached for sk-test-secret-key\",\"type\":\"rate\"}}");
            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> service(context).completion(question("q")))
                    .satisfies(error -> {
                        assertThat(error.statusCode()).isEqualTo(429);
                        assertThat(error.getMessage())
                                .contains("Rate limit reached")
                                .doesNotContain("sk-test-secret-key");
                    });
            this.provider.fail(500, "{\"error\":{\"message\":\"boom\"}}");
            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(
                            () -> service(context).acompletion(question("q")).block())
                    .satisfies(error -> assertThat(error.statusCode()).isEqualTo(500));
            this.provider.succeed();
            assertThat(service(context).completion(question("q")).cacheHit()).isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(3);
        });
    }

    @Test
    void invalidRequestsFailNamingTheFieldWithoutAnyProviderRequest() {
        this.contextRunner.run(context -> {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> service(context).completion(question("q", b -> b.model(" "))))
                    .withMessageContaining("model");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> service(context)
                            .completion(ChatCompletionRequest.builder()
                                    .model("gpt-4o-mini")
                                    .build()))
                    .withMessageContaining("messages");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> service(context)
                            .embedding(EmbeddingRequest.builder()
                                    .model("text-embedding-3-small")
                                    .input(List.of())
                                    .build()))
                    .withMessageContaining("input");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> service(context).completion(question("q", b -> b.model("nope/model"))))
                    .withMessageContaining("nope");
            assertThat(this.provider.requestCount()).isZero();
        });
    }

    @Test
    void namespacesWithStoredKeySeparatorsAreRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheOptions.builder().namespace("a:b").build())
                .withMessageContaining("':'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheSettings.builder().namespace("team/x"));
    }

    private static UnaryOperator<ChatCompletionRequest.Builder> noCache() {
        return options(o -> o.noCache(true));
    }

    private static UnaryOperator<ChatCompletionRequest.Builder> options(UnaryOperator<CacheOptions.Builder> options) {
        return b -> b.cache(options.apply(CacheOptions.builder()).build());
    }
}
