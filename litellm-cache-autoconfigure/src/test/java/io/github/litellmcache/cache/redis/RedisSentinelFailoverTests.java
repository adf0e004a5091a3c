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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The cache on a master watched by Redis Sentinel, through the application's connection factory
 * ({@code spring.data.redis.sentinel.master/nodes}), with a near tier. After a failover, asked for
 * ({@code SENTINEL FAILOVER}) or forced by a master that stops (meanwhile every call is answered by the provider,
 * none failing or waiting for Lettuce's command timeout of 60 s), the cache, its fleet leases and messages and its
 * near tier use the promoted replica without a restart, and the entries replicated before are hit there. The near
 * tier's tracking, asked for again by the reconnection and by the heartbeat at once, is not reported refused. The
 * failover asked for runs first, as it needs the replica that the stopped master's leaves none of.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
    @Order(1)
    void aFailoverAskedForMovesTheCacheToThePromotedReplicaWithoutRestart(CapturedOutput output) {
        this.contextRunner.run(context -> {
            cachedOnTheMaster(context);
            sentinel.awaitFailover(sentinel.failOver());
            servedByTheNewMaster(context);
        });
        assertThat(output.getAll()).doesNotContain("CLIENT TRACKING failed");
    }

    @Test
    @Order(2)
    void whenTheMasterStopsCallsGoToTheProviderAndThePromotedReplicaServesTheCacheWithoutRestart(
            CapturedOutput output) {
        this.contextRunner.run(context -> {
            cachedOnTheMaster(context);
            int stopped = sentinel.stopMaster();
            for (int i = 0; i < 3; i++) {
                assertThat(boundedCall(context, "during the outage " + i).cacheHit())
                        .isFalse();
            }
            sentinel.awaitFailover(stopped);
            servedByTheNewMaster(context);
        });
        assertThat(output.getAll()).doesNotContain("CLIENT TRACKING failed");
    }

    /** Once the near tier tracks, an entry written on the master and replicated, and hit. */
    private void cachedOnTheMaster(AssertableApplicationContext context) {
        await().atMost(Duration.ofSeconds(10)).until(() -> near(context).isNearTierInUse());
        ChatCompletion before = boundedCall(context, "before the failover");
        assertThat(boundedCall(context, "before the failover").cacheHit()).isTrue();
        assertThat(sentinel.master().admin().exists("litellm:" + before.cacheKey()))
                .isEqualTo(1);
        // a replica still resynchronising after the previous test's failover acknowledges later
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sentinel.master().admin().waitForReplication(1, 1_000) == 1);
    }

    /**
     * The replicated entry hit on the new master, a new one written there, the near tier tracking and the fleet's
     * subscription made again there, and {@code clear()} emptying it. After a failover asked for, the application's
     * connections stay on the old master until the Sentinel makes it a replica and disconnects its clients (on its next
     * look at it, up to 10 s later): what is written there meanwhile is lost as it resynchronises, so the new entry is
     * asked for until it is on the new master.
     */
    private void servedByTheNewMaster(AssertableApplicationContext context) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> boundedCall(context, "before the failover").cacheHit());
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> sentinel.master()
                                .admin()
                                .exists("litellm:"
                                        + boundedCall(context, "after the failover")
                                                .cacheKey())
                        == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> near(context).isNearTierInUse());
        await().atMost(Duration.ofSeconds(30))
                .alias("the fleet's subscription, made again on the new master")
                .until(() ->
                        sentinel.master().admin().pubsubNumsub("litellm:done").get("litellm:done") == 1L);
        assertThat(boundedCall(context, "after the failover").cacheHit()).isTrue();
        context.getBean(LlmCache.class).clear();
        assertThat(sentinel.master().admin().keys("litellm:*")).isEmpty();
    }

    private static NearCacheBackend near(AssertableApplicationContext context) {
        return (NearCacheBackend) context.getBean(LlmCache.class).backend();
    }

    /** {@code text} asked on another thread, failing the test if the call takes longer than {@link #CALL_BOUND_SECONDS}. */
    private static ChatCompletion boundedCall(AssertableApplicationContext context, String text) {
        CompletionService service = context.getBean(CompletionService.class);
        return CompletableFuture.supplyAsync(() -> service.completion(question(text)))
                .orTimeout(CALL_BOUND_SECONDS, TimeUnit.SECONDS)
                .join();
    }
}
