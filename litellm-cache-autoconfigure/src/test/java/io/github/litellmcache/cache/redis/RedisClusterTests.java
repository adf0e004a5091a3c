package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisClusterExtension;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.NodeSelectionCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The Redis backend on a Redis Cluster of three masters, through {@code spring.data.redis.cluster.nodes}. */
@ExtendWith(OutputCaptureExtension.class)
class RedisClusterTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisClusterExtension cluster = new RedisClusterExtension();

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
            .withPropertyValues(
                    "litellm.cache.type=redis",
                    "litellm.cache.timeout=2s",
                    "spring.data.redis.cluster.nodes=" + cluster.nodes());

    @Test
    void aMasterWhosePolicyCannotEvictTheEntriesIsWarnedAboutOnce(CapturedOutput output) {
        RedisClusterClient client =
                RedisClusterClient.create("redis://" + cluster.nodes().split(",")[0]);
        try (StatefulRedisClusterConnection<String, String> raw = client.connect()) {
            NodeSelectionCommands<String, String> masters = raw.sync().masters().commands();
            masters.configSet(Map.of("maxmemory", "100mb", "maxmemory-policy", "volatile-lru"));
            try {
                this.contextRunner.run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    assertThat(service.completion(question("asked on the cluster"))
                                    .cacheHit())
                            .isFalse();
                    assertThat(service.completion(question("asked on the cluster"))
                                    .cacheHit())
                            .isTrue();
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> output.getAll().contains("maxmemory-policy volatile-lru"));
                    service.completion(question("asked again on the cluster"));
                    assertThat(output.getAll()).containsOnlyOnce("Redis cannot evict this cache's entries");
                });
            } finally {
                masters.configSet(Map.of("maxmemory", "0", "maxmemory-policy", "noeviction"));
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void entriesSpreadOverTheMastersAreHitAndClearedWithoutTouchingForeignKeys() {
        RedisClusterClient client =
                RedisClusterClient.create("redis://" + cluster.nodes().split(",")[0]);
        try (StatefulRedisClusterConnection<String, String> raw = client.connect()) {
            RedisAdvancedClusterCommands<String, String> redis = raw.sync();
            redis.set("foreign:a", "keep");
            redis.set("foreign:b", "keep");
            this.contextRunner.run(context -> {
                CompletionService service = context.getBean(CompletionService.class);
                for (int i = 0; i < 30; i++) {
                    service.completion(question("prompt " + i));
                }
                for (int i = 0; i < 30; i++) {
                    assertThat(service.acompletion(question("prompt " + i))
                                    .block()
                                    .cacheHit())
                            .isTrue();
                }
                assertThat(this.provider.requestCount()).isEqualTo(30);
                assertThat(redis.keys("litellm:*")).hasSize(30);
                assertThat(redis.clusterKeyslot("litellm:"
                                + service.completion(question("prompt 0")).cacheKey()))
                        .isBetween(0L, 16383L);
                long mastersHoldingEntries = redis.masters().commands().keys("litellm:*").asMap().values().stream()
                        .filter(keys -> !keys.isEmpty())
                        .count();
                assertThat(mastersHoldingEntries)
                        .as("entries on several masters")
                        .isGreaterThan(1);
                context.getBean(LlmCache.class).clear();
                assertThat(redis.keys("litellm:*")).isEmpty();
                assertThat(redis.keys("foreign:*")).containsExactlyInAnyOrder("foreign:a", "foreign:b");
                assertThat(service.completion(question("prompt 1")).cacheHit()).isFalse();
            });
        } finally {
            client.shutdown();
        }
    }
}
