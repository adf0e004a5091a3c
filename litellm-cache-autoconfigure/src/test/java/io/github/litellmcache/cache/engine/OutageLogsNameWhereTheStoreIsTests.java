package io.github.litellmcache.cache.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServer;
import io.github.litellmcache.testsupport.S3ProxyServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The warnings an outage writes (each failed operation, rate-limited, and the circuit breaker opening) say where the
 * store is and which properties set it, so that whoever is on call knows which server or bucket to look at, and never
 * a secret.
 */
@ExtendWith(OutputCaptureExtension.class)
class OutageLogsNameWhereTheStoreIsTests extends AbstractCachedApplicationTests {

    private static final String PASSWORD = "outage-log-secret";

    @Test
    void aDedicatedRedisConnectionIsNamedByItsAddressAndProperties(CapturedOutput output) {
        try (RedisServer redis = RedisServer.launch("--requirepass", PASSWORD)) {
            String where =
                    "the redis cache backend (127.0.0.1:" + redis.port() + ", litellm.cache.redis.host and port)";
            askedThroughAnOutage(
                    applicationRunner()
                            .withPropertyValues(
                                    "litellm.cache.type=redis",
                                    "litellm.cache.redis.host=127.0.0.1",
                                    "litellm.cache.redis.port=" + redis.port(),
                                    "litellm.cache.redis.password=" + PASSWORD),
                    redis::stop);
            assertThat(output.getAll())
                    .contains("Cache read on " + where + " failed")
                    .contains("Reads from " + where + " failed repeatedly")
                    .doesNotContain(PASSWORD);
        }
    }

    @Test
    void theApplicationsRedisConnectionIsNamedByItsProperties(CapturedOutput output) {
        try (RedisServer redis = RedisServer.launch()) {
            askedThroughAnOutage(
                    applicationRunner()
                            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                            .withPropertyValues(redis.applicationConnectionProperties()),
                    redis::stop);
            assertThat(output.getAll())
                    .contains("Cache read on the redis cache backend (the application's Redis connection,"
                            + " spring.data.redis.*) failed");
        }
    }

    @Test
    void anS3BucketIsNamedWithItsPathAndProperties(CapturedOutput output) throws IOException {
        askedThroughAnOutage(
                applicationRunner()
                        .withPropertyValues(
                                "litellm.cache.type=s3",
                                "litellm.cache.s3.bucket-name=outage-bucket",
                                "litellm.cache.s3.path=team-a",
                                "litellm.cache.s3.endpoint-url=http://127.0.0.1:" + unusedPort(),
                                "litellm.cache.s3.aws-access-key-id=" + S3ProxyServer.ACCESS_KEY,
                                "litellm.cache.s3.aws-secret-access-key=" + S3ProxyServer.SECRET_KEY),
                () -> {});
        assertThat(output.getAll())
                .contains("Cache read on the s3 cache backend (bucket 'outage-bucket', objects under 'team-a/',"
                        + " litellm.cache.s3.bucket-name and path) failed")
                .doesNotContain(S3ProxyServer.SECRET_KEY);
    }

    /** Asks one question, has the store go away ({@code outage}), then asks enough to open the read breaker. */
    private void askedThroughAnOutage(ApplicationContextRunner runner, Runnable outage) {
        runner.withPropertyValues("litellm.cache.timeout=500ms").run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("before the outage"));
            outage.run();
            for (int call = 0; call < 6; call++) {
                assertThat(service.completion(question("during the outage " + call))
                                .cacheHit())
                        .isFalse();
            }
        });
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
