package io.github.litellmcache.cache.soak;

import io.github.litellmcache.testsupport.RedisServerExtension;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The soak on a real redis-server process, which is killed ({@code SIGKILL}) and started again on the same port,
 * then frozen ({@code SIGSTOP}: connections stay open, nothing is answered) and resumed.
 */
class RedisCacheSoakTests extends AbstractCacheSoakTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    @Override
    protected ApplicationContextRunner backendRunner() {
        return applicationRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues(server.cacheProperties());
    }

    @Override
    protected List<Fault> faults() {
        return List.of(
                new Fault("killed", server::stop, server::start), new Fault("paused", server::pause, server::resume));
    }

    @Override
    protected String backendName() {
        return "redis";
    }
}
