package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheStatistics;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.near.NearCacheBackend;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisClusterExtension;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The cache on a Redis Cluster through {@code spring.data.redis.cluster.nodes} with an ACL user given the README's
 * list and the commands it names for a cluster (the client's topology, a read redirected during a resharding): every
 * feature works, as does a read of an entry whose slot is being moved, and no node refuses anything.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisClusterLeastPrivilegeAclUserTests extends AbstractCachedApplicationTests {

    private static final String PASSWORD = "acl-pw-c1u57e";

    @RegisterExtension
    static final RedisClusterExtension cluster = new RedisClusterExtension(Stream.concat(
                    Arrays.stream(RedisLeastPrivilegeAclUserTests.withReadmeAclUser(PASSWORD)),
                    Stream.of("+cluster|nodes", "+cluster|myid", "+info", "+asking", "+readonly"))
            .toArray(String[]::new));

    private final ApplicationContextRunner contextRunner =
            RedisLeastPrivilegeAclUserTests.onTheApplicationConnectionWithANearTier(applicationRunner())
                    .withPropertyValues(
                            "spring.data.redis.cluster.nodes=" + cluster.nodes(),
                            "spring.data.redis.username=litellm-cache",
                            "spring.data.redis.password=" + PASSWORD);

    @Test
    void everyFeatureAndAReadDuringAReshardingWorkWithAUserAllowedOnlyTheListedCommands(CapturedOutput output) {
        this.contextRunner.run(context -> {
            RedisLeastPrivilegeAclUserTests.everyFeatureWorks(context, this.provider);
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletion stored = service.completion(question("resharded"));
            int slot = SlotHash.getSlot("litellm:" + stored.cacheKey());
            int owner = cluster.ownerOf(slot);
            int target = cluster.masters().stream()
                    .mapToInt(RedisClusterLeastPrivilegeAclUserTests::port)
                    .filter(port -> port != owner)
                    .findFirst()
                    .orElseThrow();
            cluster.migrateSlot(slot, target);
            NearCacheBackend near =
                    (NearCacheBackend) context.getBean(LlmCache.class).backend();
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> near.nearEntry(new CacheKey(null, stored.cacheKey())) == null);
            assertThat(service.completion(question("resharded")).cacheHit())
                    .as("a read its old owner redirects with -ASK")
                    .isTrue();
            assertThat(context.getBean(CacheStatistics.class).counts().errors()).isZero();
            cluster.moveSlot(slot, target);
        });
        assertThat(cluster.aclLog())
                .as("what the nodes refused, shutdown included")
                .isEmpty();
        assertThat(output.getAll()).doesNotContain(PASSWORD);
    }

    @Test
    void readsOfReplicasWorkWithAUserAllowedReadonly(CapturedOutput output) {
        cluster.masters().forEach(master -> cluster.addReplica(port(master)));
        this.contextRunner
                .withPropertyValues("spring.data.redis.lettuce.read-from=replica")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    assertThat(service.completion(question("read from a replica"))
                                    .cacheHit())
                            .isFalse();
                    await().atMost(Duration.ofSeconds(2))
                            .until(() -> service.completion(question("read from a replica"))
                                    .cacheHit());
                    assertThat(context.getBean(CacheStatistics.class).counts().errors())
                            .isZero();
                });
        assertThat(cluster.aclLog())
                .as("what the nodes refused, shutdown included")
                .isEmpty();
        assertThat(output.getAll()).doesNotContain(PASSWORD);
    }

    private static int port(String hostAndPort) {
        return Integer.parseInt(hostAndPort.substring(hostAndPort.indexOf(':') + 1));
    }
}
