package io.github.litellmcache.cache.near;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheOptions;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The near tier in front of S3, which sends no invalidations: a near entry lives at most {@code litellm.cache.near.ttl},
 * the bound on how stale it can be, and {@code clear()} through the cache empties this instance's near tier.
 */
class NearCacheOnS3Tests extends AbstractCachedApplicationTests {

    private static final String BUCKET = "near";

    private static final Duration NEAR_TTL = Duration.ofMillis(500);

    @RegisterExtension
    static final S3ProxyServerExtension server = S3ProxyServerExtension.withBucket(BUCKET);

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withPropertyValues(server.cacheProperties())
            .withPropertyValues(
                    "litellm.cache.timeout=5s",
                    "litellm.cache.near.enabled=true",
                    "litellm.cache.near.ttl=" + NEAR_TTL.toMillis() + "ms");

    private static final String TEXT = "What bounds a near entry of S3?";

    private final ChatCompletionRequest question = question(TEXT);

    @Test
    void anOverwriteByAnotherInstanceIsReadOnceTheNearEntryHasLivedItsTtl() {
        this.contextRunner.run(a -> this.contextRunner.run(b -> {
            ChatCompletion first = service(a).completion(this.question);
            assertThat(nearTier(a).nearEntry(new CacheKey(null, first.cacheKey())))
                    .as("filled by the write")
                    .isNotNull();
            ChatCompletion overwritten = service(b)
                    .completion(question(
                            TEXT,
                            builder -> builder.cache(
                                    CacheOptions.builder().noCache(true).build())));
            long overwrittenAt = System.nanoTime();
            assertThat(service(a).completion(this.question).content())
                    .as("the near entry, within its ttl")
                    .isEqualTo(first.content());
            await().atMost(NEAR_TTL.plusSeconds(1))
                    .until(() -> service(a).completion(this.question).content(), overwritten.content()::equals);
            assertThat(Duration.ofNanos(System.nanoTime() - overwrittenAt))
                    .isLessThanOrEqualTo(NEAR_TTL.plusSeconds(1));
        }));
    }

    @Test
    void anEntryReadFromS3IsNotServedByTheNearTierPastItsTtl() {
        Duration ttl = Duration.ofSeconds(1);
        ApplicationContextRunner longNearTtl =
                this.contextRunner.withPropertyValues("litellm.cache.near.ttl=1h", "litellm.cache.ttl=1s");
        longNearTtl.run(a -> longNearTtl.run(b -> {
            ChatCompletion written = service(b).completion(this.question);
            ChatCompletion readByA = service(a).completion(this.question);
            assertThat(readByA.cacheHit()).isTrue();
            assertThat(nearTier(a).nearEntry(new CacheKey(null, written.cacheKey())))
                    .as("filled by the read")
                    .isNotNull();
            Thread.sleep(ttl.multipliedBy(2).toMillis());

            ChatCompletion afterTtl = service(a).completion(this.question);
            assertThat(afterTtl.cacheHit()).isFalse();
            assertThat(afterTtl.id()).isNotEqualTo(written.id());
        }));
    }

    @Test
    void clearThroughTheCacheEmptiesThisInstancesNearTier() {
        this.contextRunner.run(a -> {
            ChatCompletion first = service(a).completion(this.question);
            CacheKey key = new CacheKey(null, first.cacheKey());
            assertThat(nearTier(a).nearEntry(key)).isNotNull();
            a.getBean(LlmCache.class).clear();
            assertThat(nearTier(a).nearEntry(key)).isNull();
            assertThat(service(a).completion(this.question).cacheHit()).isFalse();
        });
    }

    private static CompletionService service(AssertableApplicationContext instance) {
        return instance.getBean(CompletionService.class);
    }

    private static NearCacheBackend nearTier(AssertableApplicationContext instance) {
        return (NearCacheBackend) instance.getBean(LlmCache.class).backend();
    }
}
