package io.github.litellmcache.cache.near;

import io.github.litellmcache.testsupport.RedisServerExtension;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The near tier on one redis-server, each instance on its dedicated connection ({@code litellm.cache.redis.host}). */
class NearCacheCoherenceTests extends AbstractNearCacheCoherenceTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    @Override
    ApplicationContextRunner contextRunner() {
        return applicationRunner()
                .withPropertyValues(server.cacheProperties())
                .withPropertyValues("litellm.cache.timeout=2s", "litellm.cache.near.enabled=true");
    }

    @Override
    List<String> masters() {
        return List.of("127.0.0.1:" + server.port());
    }
}
