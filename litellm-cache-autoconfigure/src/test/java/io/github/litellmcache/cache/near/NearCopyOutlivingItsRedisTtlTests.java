package io.github.litellmcache.cache.near;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheEntries;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.NearCacheSettings;
import io.github.litellmcache.cache.redis.RedisCacheBackend;
import io.github.litellmcache.testsupport.RedisServerExtension;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis removes an expired key, and so sends its invalidation, only when a client touches it or its sampling of keys
 * with a TTL finds it, which on a large keyspace can be long after the TTL ended. A near copy must not rely on that
 * message alone to stop answering past the entry's TTL. Active expiry is switched off here to make that lag certain.
 */
class NearCopyOutlivingItsRedisTtlTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension("--enable-debug-command", "yes");

    @Test
    void aNearCopyReadFromRedisStopsAnsweringOnceTheEntrysTtlHasEndedThoughRedisHasNotExpiredTheKeyYet()
            throws Exception {
        CacheKey key = new CacheKey(null, "short-lived");
        try (CacheBackend writer = RedisCacheBackend.dedicated(
                        "127.0.0.1", server.port(), null, "litellm:", Duration.ofSeconds(2));
                CacheBackend reader = RedisTracking.over(
                        RedisCacheBackend.dedicated(
                                "127.0.0.1", server.port(), null, "litellm:", Duration.ofSeconds(2)),
                        new NearCacheSettings(
                                true, NearCacheSettings.DEFAULT_MAX_MEMORY, NearCacheSettings.DEFAULT_TTL))) {
            NearCacheBackend near = (NearCacheBackend) reader;
            await().atMost(Duration.ofSeconds(10)).until(near::isNearTierInUse);
            activeExpire(0);
            try {
                writer.put(key, CacheEntries.answering("valid for three seconds"), Duration.ofSeconds(3));
                // A read that the write's own invalidation overtakes copies nothing; the next one does.
                await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
                    assertThat(reader.get(key))
                            .as("read from Redis within the TTL")
                            .isNotNull();
                    assertThat(near.nearEntry(key))
                            .as("copied to the near tier")
                            .isNotNull();
                });

                Thread.sleep(3_500);

                assertThat(reader.get(key))
                        .as("half a second after the entry's TTL ended")
                        .isNull();
            } finally {
                activeExpire(1);
            }
        }
    }

    /** {@code DEBUG SET-ACTIVE-EXPIRE}: 0 leaves expired keys in place until a client touches them. */
    private static void activeExpire(int on) {
        server.admin()
                .dispatch(
                        CommandType.DEBUG,
                        new StatusOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8)
                                .add("SET-ACTIVE-EXPIRE")
                                .add(on));
    }
}
