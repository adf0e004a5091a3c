package io.github.litellmcache.cache.near;

import io.github.litellmcache.testsupport.RedisServerExtension;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The near tier on a Redis reached with TLS through the application's connection factory and an SSL bundle: the
 * tracking connections are made on the same client, so they speak TLS too (the test's own connection uses the plain
 * port).
 */
class NearCacheOverTlsCoherenceTests extends AbstractNearCacheCoherenceTests {

    @RegisterExtension
    static final RedisServerExtension server = RedisServerExtension.withTls();

    @Override
    ApplicationContextRunner contextRunner() {
        return applicationRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, DataRedisAutoConfiguration.class))
                .withPropertyValues(server.tlsApplicationConnectionProperties())
                .withPropertyValues("litellm.cache.timeout=2s", "litellm.cache.near.enabled=true");
    }

    @Override
    List<String> masters() {
        return List.of("127.0.0.1:" + server.port());
    }
}
