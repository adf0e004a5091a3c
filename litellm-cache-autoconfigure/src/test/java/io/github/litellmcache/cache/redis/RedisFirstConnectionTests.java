package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;

/**
 * The first connection of a dedicated Redis backend, made while the server is slow to answer (paused
 * with {@code CLIENT PAUSE}): callers that give up at their deadline neither abandon the connection
 * being made nor start one each.
 */
class RedisFirstConnectionTests {

    private static final String PASSWORD = "first-connection-pass";

    private static final long PAUSE_MILLIS = 800;

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension("--requirepass", PASSWORD);

    private final RedisCacheBackend backend =
            RedisCacheBackend.dedicated("127.0.0.1", server.port(), PASSWORD, "first:", Duration.ofSeconds(2));

    private final CacheKey key = new CacheKey(null, "k");

    @AfterEach
    void closeBackend() {
        this.backend.close();
    }

    @Test
    void callerGivingUpDuringTheFirstConnectionLeavesNoUnusedConnectionBehind() {
        server.admin().clientPause(PAUSE_MILLIS);

        assertThatException().isThrownBy(() -> this.backend.getAsync(this.key).block(Duration.ofMillis(100)));

        assertThat(this.backend.getAsync(this.key).block(Duration.ofSeconds(5))).isNull();
        assertThat(clientsBesidesAdmin()).isEqualTo(1);
    }

    @Test
    void concurrentCallersDuringTheFirstConnectionShareOneAttempt() {
        server.admin().clientPause(PAUSE_MILLIS);

        Flux.range(0, 20)
                .flatMap(i -> this.backend.getAsync(new CacheKey(null, "k" + i)))
                .collectList()
                .block(Duration.ofSeconds(5));

        assertThat(clientsBesidesAdmin()).isEqualTo(1);
    }

    @Test
    void callerGivingUpIsNotHandedTheFirstConnectionsLaterFailure() {
        List<Throwable> dropped = new CopyOnWriteArrayList<>();
        Hooks.onErrorDropped(dropped::add);
        try (RedisCacheBackend refused = RedisCacheBackend.dedicated(
                "127.0.0.1", server.port(), "not-the-password", "first:", Duration.ofSeconds(2))) {
            server.admin().clientPause(PAUSE_MILLIS);

            assertThatException().isThrownBy(() -> refused.getAsync(this.key).block(Duration.ofMillis(100)));

            assertThatException().isThrownBy(() -> refused.getAsync(this.key).block(Duration.ofSeconds(5)));
            assertThat(dropped).isEmpty();
        } finally {
            Hooks.resetOnErrorDropped();
        }
    }

    private static long clientsBesidesAdmin() {
        return Arrays.stream(server.admin().clientList().split("\n"))
                        .filter(line -> line.startsWith("id="))
                        .count()
                - 1;
    }
}
