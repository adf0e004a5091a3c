package io.github.litellmcache.cache.near;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.NearCacheSettings;
import io.github.litellmcache.cache.redis.RedisCacheBackend;
import io.github.litellmcache.testsupport.RedisServerExtension;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KillArgs;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A Redis connection forced to RESP2 cannot receive invalidation messages: the near tier stays off, and a warning says
 * so once, not again at each reconnection.
 */
@ExtendWith(OutputCaptureExtension.class)
class NearTierOverResp2Tests {

    private static final String WARNING = "its Redis connection speaks RESP2";

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    @Test
    void aConnectionForcedToResp2LeavesTheNearTierOffWithOneWarningAcrossReconnections(CapturedOutput output)
            throws InterruptedException {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", server.port()),
                LettuceClientConfiguration.builder()
                        .clientOptions(ClientOptions.builder()
                                .protocolVersion(ProtocolVersion.RESP2)
                                .build())
                        .build());
        factory.afterPropertiesSet();
        factory.start();
        try (CacheBackend backend = RedisTracking.over(
                new RedisCacheBackend(factory, "litellm:"),
                new NearCacheSettings(true, NearCacheSettings.DEFAULT_MAX_MEMORY, NearCacheSettings.DEFAULT_TTL))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains(WARNING));
            Set<String> before = otherClients();

            server.admin().clientKill(KillArgs.Builder.typeNormal());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> otherClients().stream().anyMatch(client -> !before.contains(client)));
            Thread.sleep(1_000);

            assertThat(((NearCacheBackend) backend).isNearTierInUse()).isFalse();
            assertThat(output.getAll()).containsOnlyOnce(WARNING);
        } finally {
            factory.destroy();
        }
    }

    /** The ids of the clients connected to the server, but for the admin connection asking. */
    private static Set<String> otherClients() {
        return Arrays.stream(server.admin().clientList().split("\n"))
                .filter(line -> !line.contains(" cmd=client|list "))
                .map(line -> line.substring(0, line.indexOf(' ')))
                .collect(Collectors.toSet());
    }
}
