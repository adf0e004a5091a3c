package io.github.litellmcache.cache.soak;

import io.github.litellmcache.testsupport.RedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The soak on a real redis-server process, which is killed ({@code SIGKILL}) and started again on the same port,
 * then frozen ({@code SIGSTOP}: connections stay open, nothing is answered) and resumed.
 */
class RedisCacheSoakTests extends AbstractCacheSoakTests {

    private static RedisServer server;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.launch();
    }

    @AfterAll
    static void stopRedis() {
        server.close();
    }

    @Override
    protected ApplicationContextRunner backendRunner() {
        return applicationRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues(
                        "litellm.cache.type=redis",
                        "litellm.cache.redis.host=127.0.0.1",
                        "litellm.cache.redis.port=" + server.port());
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
