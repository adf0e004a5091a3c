package io.github.litellmcache.cache.near;

import io.github.litellmcache.testsupport.RedisClusterExtension;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The near tier on a Redis Cluster of three masters, through the application's connection factory
 * ({@code spring.data.redis.cluster.nodes}): one tracking connection per master.
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
                        "spring.data.redis.cluster.nodes=" + cluster.nodes());
    }

    @Override
    List<String> masters() {
        return List.of(cluster.nodes().split(","));
    }
}
