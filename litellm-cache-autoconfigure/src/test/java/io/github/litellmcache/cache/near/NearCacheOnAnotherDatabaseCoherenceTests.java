package io.github.litellmcache.cache.near;

import io.github.litellmcache.testsupport.RedisServerExtension;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The near tier on a Redis database other than 0, through the application's connection factory
 * ({@code spring.data.redis.database}): Redis's invalidations ignore database numbers, so the tracking connection sees
 * the writes made in the application's database.
 */
class NearCacheOnAnotherDatabaseCoherenceTests extends AbstractNearCacheCoherenceTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    @Override
    ApplicationContextRunner contextRunner() {
        return applicationRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues(server.applicationConnectionProperties())
                .withPropertyValues(
                        "spring.data.redis.database=5", "litellm.cache.timeout=2s", "litellm.cache.near.enabled=true");
    }

    @Override
    List<String> masters() {
        return List.of("127.0.0.1:" + server.port());
    }
}
