package io.github.litellmcache.cache.near;

import io.github.litellmcache.testsupport.RedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The near tier on one redis-server, each instance on its dedicated connection ({@code litellm.cache.redis.host}). */
class NearCacheCoherenceTests extends AbstractNearCacheCoherenceTests {

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
    ApplicationContextRunner contextRunner() {
        return applicationRunner()
                .withPropertyValues(
                        "litellm.cache.type=redis",
                        "litellm.cache.timeout=2s",
                        "litellm.cache.near.enabled=true",
                        "litellm.cache.redis.host=127.0.0.1",
                        "litellm.cache.redis.port=" + server.port());
    }

    @Override
    List<String> masters() {
        return List.of("127.0.0.1:" + server.port());
    }
}
