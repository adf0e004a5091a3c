package io.github.litellmcache.cache.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.redis.RedisCacheBackend;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One key whose value someone else wrote in a shape the codec cannot build an entry of is a miss on that key: it
 * neither counts as a failure of the store nor, read a few times, makes every other key skip the store.
 */
class PoisonedEntryCircuitBreakerTests {

    private static final String POISONED =
            "{\"format\":2,\"stored_at\":1732611234123,\"type\":\"chat.completion\",\"chunks\":[null],"
                    + "\"response\":{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,"
                    + "\"model\":\"m\",\"choices\":[]}}";

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    @Test
    void readsOfOnePoisonedKeyAreMissesAndNeverOpenTheBreakerForEveryOtherKey() {
        server.admin().set("litellm:poisoned", POISONED);
        try (RedisCacheBackend redis =
                RedisCacheBackend.dedicated("127.0.0.1", server.port(), null, "litellm:", Duration.ofSeconds(2))) {
            GuardedBackend guard = new GuardedBackend(redis, Duration.ofSeconds(2), Duration.ofMinutes(1), List.of());
            CacheKey poisoned = new CacheKey(null, "poisoned");
            int failed = 0;
            for (int i = 0; i < 10; i++) {
                failed +=
                        guard.read(poisoned, CallMode.BLOCKING).toMono().block().failed() ? 1 : 0;
            }
            assertThat(guard.isAvailable())
                    .as("the store is used for other keys")
                    .isTrue();
            assertThat(failed).as("reads of the poisoned key that failed").isZero();
        }
    }

    @Test
    void aPoisonedValueUnderTheProbesKeyLeavesTheHealthProbeAnswering() {
        server.admin().set("litellm:" + GuardedBackend.PROBE.qualified(), POISONED);
        try (RedisCacheBackend redis =
                RedisCacheBackend.dedicated("127.0.0.1", server.port(), null, "litellm:", Duration.ofSeconds(2))) {
            GuardedBackend guard = new GuardedBackend(redis, Duration.ofSeconds(2), Duration.ofMinutes(1), List.of());
            assertThatCode(() -> guard.probe(Duration.ofSeconds(5))).doesNotThrowAnyException();
        }
    }
}
