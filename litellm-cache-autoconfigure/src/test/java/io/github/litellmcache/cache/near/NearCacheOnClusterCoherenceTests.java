package io.github.litellmcache.cache.near;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.testsupport.RedisClusterExtension;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The near tier on a Redis Cluster of three masters, through the application's connection factory
 * ({@code spring.data.redis.cluster.nodes}), with the adaptive topology refresh that a cluster resharded at run time
 * needs: one tracking connection per master, following masters added later.
 */
class NearCacheOnClusterCoherenceTests extends AbstractNearCacheCoherenceTests {

    @RegisterExtension
    static final RedisClusterExtension cluster = new RedisClusterExtension();

    @Override
    ApplicationContextRunner contextRunner() {
        return applicationRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues(
                        "litellm.cache.type=redis",
                        "litellm.cache.timeout=2s",
                        "litellm.cache.near.enabled=true",
                        "spring.data.redis.cluster.nodes=" + cluster.nodes(),
                        "spring.data.redis.lettuce.cluster.refresh.adaptive=true");
    }

    @Override
    List<String> masters() {
        return cluster.masters();
    }

    @Test
    void anOverwriteOnAMasterAddedAfterStartAndGivenTheEntrysSlotIsNotServedStale() {
        twoInstances((a, b) -> {
            ChatCompletion first = inNearTier(a);
            int added = cluster.addMaster();
            cluster.moveSlot(slot(first), added);
            overwriteIsReadAfterTheTopologyChange(a, b, first);
        });
    }

    @Test
    void theNearTierComesBackWhenAFailedMasterIsReplacedByItsReplica() {
        twoInstances((a, b) -> {
            ChatCompletion first = inNearTier(a);
            int master = cluster.ownerOf(slot(first));
            cluster.addReplica(master);
            cluster.kill(master);
            await().atMost(TRACKING_STARTS_WITHIN)
                    .until(() -> nearTier(a).isNearTierInUse() && nearTier(b).isNearTierInUse());
        });
    }

    /**
     * Once both instances read the entry again (their clients follow the new topology), {@code a} holds it in its near
     * tier and {@code b} overwrites it: {@code a} must read the overwrite.
     */
    private void overwriteIsReadAfterTheTopologyChange(
            AssertableApplicationContext a, AssertableApplicationContext b, ChatCompletion first) {
        await().atMost(TRACKING_STARTS_WITHIN)
                .until(() -> service(a).completion(this.question).cacheHit()
                        && service(b).completion(this.question).cacheHit()
                        && nearTier(a).isNearTierInUse()
                        && nearTier(b).isNearTierInUse());
        inNearTier(a);
        ChatCompletion overwritten = service(b).completion(this.noCache);
        assertThat(overwritten.content()).isNotEqualTo(first.content());
        await().atMost(Duration.ofSeconds(2))
                .until(() -> service(a).completion(this.question).content(), overwritten.content()::equals);
    }

    private static int slot(ChatCompletion completion) {
        return SlotHash.getSlot("litellm:" + completion.cacheKey());
    }
}
