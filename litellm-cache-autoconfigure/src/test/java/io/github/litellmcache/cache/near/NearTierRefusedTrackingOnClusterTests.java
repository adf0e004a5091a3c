package io.github.litellmcache.cache.near;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisClusterExtension;
import io.github.litellmcache.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;

/**
 * A cluster whose ACL refuses {@code CLIENT TRACKING} leaves the near tier off, and its tracking connections, open and
 * answering, are not taken for failed masters: the instance does not ask every node for the topology
 * ({@code CLUSTER NODES}) every second for as long as it runs.
 */
class NearTierRefusedTrackingOnClusterTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisClusterExtension cluster = new RedisClusterExtension();

    @Test
    void trackingRefusedOnEveryMasterDoesNotMakeTheInstanceRefreshTheTopologyEverySecond() throws Exception {
        onEveryNode(redis -> acl(redis, "-client|tracking"));
        try {
            applicationRunner()
                    .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                    .withPropertyValues(
                            "litellm.cache.type=redis",
                            "litellm.cache.near.enabled=true",
                            "spring.data.redis.cluster.nodes=" + cluster.nodes())
                    .run(context -> {
                        await().atMost(Duration.ofSeconds(10))
                                .until(() -> sumOverNodes(NearTierRefusedTrackingOnClusterTests::namedTrackingClients)
                                        >= cluster.masters().size());
                        long before = sumOverNodes(redis -> RedisServer.calls(redis.sync(), "cluster|nodes"));
                        Thread.sleep(RedisTracking.HEARTBEAT.multipliedBy(4).toMillis());
                        long during = sumOverNodes(redis -> RedisServer.calls(redis.sync(), "cluster|nodes")) - before;

                        assertThat(((NearCacheBackend)
                                                context.getBean(LlmCache.class).backend())
                                        .isNearTierInUse())
                                .isFalse();
                        assertThat(during)
                                .as("CLUSTER NODES asked over four heartbeats")
                                .isLessThanOrEqualTo(3);
                    });
        } finally {
            onEveryNode(redis -> acl(redis, "+@all"));
        }
    }

    private static void acl(StatefulRedisConnection<String, String> redis, String rule) {
        redis.sync()
                .dispatch(
                        CommandType.ACL,
                        new StatusOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8)
                                .add("SETUSER")
                                .add("default")
                                .add(rule));
    }

    private static long namedTrackingClients(StatefulRedisConnection<String, String> redis) {
        return redis.sync()
                .clientList()
                .lines()
                .filter(line -> line.contains("name=" + RedisTracking.CLIENT_NAME))
                .count();
    }

    private static long sumOverNodes(Function<StatefulRedisConnection<String, String>, Long> count) {
        long sum = 0;
        for (String node : cluster.nodes().split(",")) {
            RedisClient client = RedisClient.create("redis://" + node);
            try (StatefulRedisConnection<String, String> redis = client.connect()) {
                sum += count.apply(redis);
            } finally {
                client.shutdown();
            }
        }
        return sum;
    }

    private static void onEveryNode(Consumer<StatefulRedisConnection<String, String>> command) {
        sumOverNodes(redis -> {
            command.accept(redis);
            return 0L;
        });
    }
}
