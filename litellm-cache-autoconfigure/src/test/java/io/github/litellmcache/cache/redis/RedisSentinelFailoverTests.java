package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.near.NearCacheBackend;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisSentinel;
import io.github.litellmcache.testsupport.RedisSentinelExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The cache on a master watched by Redis Sentinel, through the application's connection factory
 * ({@code spring.data.redis.sentinel.master/nodes}), with a near tier: entries are hit on the master; when the master
 * stops, every call is answered by the provider, none failing or waiting for Lettuce's command timeout (60 s); once
 * the Sentinel has promoted the replica, the cache, its fleet leases and messages and its near tier use the new master without a
 * restart, and the entries replicated before the outage are hit there. The near tier's tracking, asked for again by
 * the reconnection and by the heartbeat at once, is not reported refused.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisSentinelFailoverTests extends AbstractCachedApplicationTests {

    /** Far below Lettuce's command timeout, so that a call that waited for Redis would be seen. */
    private static final long CALL_BOUND_SECONDS = 10;

    @RegisterExtension
    static final RedisSentinelExtension sentinel = new RedisSentinelExtension();

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
            .withPropertyValues(
                    "litellm.cache.type=redis",
                    "litellm.cache.timeout=500ms",
                    "litellm.cache.near.enabled=true",
                    "spring.data.redis.sentinel.master=" + RedisSentinel.MASTER,
                    "spring.data.redis.sentinel.nodes=" + sentinel.sentinels());

    @Test
    void whenTheMasterStopsCallsGoToTheProviderAndThePromotedReplicaServesTheCacheWithoutRestart(
            CapturedOutput output) {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            NearCacheBackend near =
                    (NearCacheBackend) context.getBean(LlmCache.class).backend();
            await().atMost(Duration.ofSeconds(10)).until(near::isNearTierInUse);
            ChatCompletion before = service.completion(question("before the failover"));
            assertThat(service.completion(question("before the failover")).cacheHit())
                    .isTrue();
            assertThat(sentinel.master().admin().exists("litellm:" + before.cacheKey()))
                    .isEqualTo(1);
            assertThat(sentinel.master().admin().waitForReplication(1, 5_000)).isEqualTo(1);

            int stopped = sentinel.stopMaster();
            for (int i = 0; i < 3; i++) {
                assertThat(boundedCall(service, "during the outage " + i).cacheHit())
                        .isFalse();
            }
            sentinel.awaitFailover(stopped);

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> boundedCall(service, "before the failover").cacheHit());
            ChatCompletion after = boundedCall(service, "after the failover");
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> sentinel.master().admin().exists("litellm:" + after.cacheKey()) == 1);
            await().atMost(Duration.ofSeconds(30)).until(near::isNearTierInUse);
            await().atMost(Duration.ofSeconds(30))
                    .alias("the fleet's subscription, made again on the new master")
                    .until(() -> sentinel.master()
                                    .admin()
                                    .pubsubNumsub("litellm:done")
                                    .get("litellm:done")
                            == 1L);
            assertThat(boundedCall(service, "after the failover").id()).isEqualTo(after.id());
            context.getBean(LlmCache.class).clear();
            assertThat(sentinel.master().admin().keys("litellm:*")).isEmpty();
        });
        assertThat(output.getAll()).doesNotContain("CLIENT TRACKING failed");
    }

    /** {@code text} asked on another thread, failing the test if the call takes longer than {@link #CALL_BOUND_SECONDS}. */
    private static ChatCompletion boundedCall(CompletionService service, String text) {
        return CompletableFuture.supplyAsync(() -> service.completion(question(text)))
                .orTimeout(CALL_BOUND_SECONDS, TimeUnit.SECONDS)
                .join();
    }
}
