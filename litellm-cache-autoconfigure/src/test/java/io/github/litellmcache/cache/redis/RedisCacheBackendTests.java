package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.cache.AbstractCacheBackendContractTests;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheConfigurationException;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redis backend against a real redis-server process, checked with a raw Redis client too. */
class RedisCacheBackendTests extends AbstractCacheBackendContractTests {

    private static RedisServer server;

    private static RedisClient rawClient;

    private static StatefulRedisConnection<String, String> raw;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.launch();
        rawClient = RedisClient.create("redis://127.0.0.1:" + server.port());
        raw = rawClient.connect();
    }

    @AfterAll
    static void stopRedis() {
        raw.close();
        rawClient.shutdown();
        server.close();
    }

    @Override
    protected CacheBackend createBackend() {
        return RedisCacheBackend.dedicated("127.0.0.1", server.port(), null, "litellm:", Duration.ofSeconds(2));
    }

    private static RedisCommands<String, String> redis() {
        return raw.sync();
    }

    @Test
    void keysArePrefixAndNamespaceAndKey() {
        backend().put(new CacheKey("team", "abc123"), entry("x"), null);
        backend().put(new CacheKey(null, "def456"), entry("y"), null);
        assertThat(redis().exists("litellm:team:abc123", "litellm:def456")).isEqualTo(2);
    }

    @Test
    void valueIsAVersionedJsonEnvelope() {
        backend().put(new CacheKey(null, "k1"), entry("hello"), null);
        assertThat(redis().get("litellm:k1"))
                .startsWith("{\"format\":2,\"stored_at\":")
                .contains("\"type\":\"chat.completion\"")
                .contains("\"content\":\"hello\"");
    }

    @Test
    void ttlIsStoredAsPxAndNoTtlMeansNoExpiry() {
        backend().put(new CacheKey(null, "short"), entry("x"), Duration.ofSeconds(90));
        backend().put(new CacheKey(null, "forever"), entry("x"), null);
        assertThat(redis().pttl("litellm:short")).isBetween(85_000L, 90_000L);
        assertThat(redis().pttl("litellm:forever")).isEqualTo(-1L);
    }

    @Test
    void clearLeavesForeignKeysUntouched() {
        redis().set("other-app:key", "keep me");
        redis().set("litellm-not-ours", "keep me too");
        for (int i = 0; i < 2_500; i++) {
            backend().put(new CacheKey((i % 2 == 0) ? "ns" : null, "k" + i), entry("v"), null);
        }
        backend().clear();
        assertThat(redis().keys("litellm:*")).isEmpty();
        assertThat(redis().get("other-app:key")).isEqualTo("keep me");
        assertThat(redis().get("litellm-not-ours")).isEqualTo("keep me too");
    }

    @Test
    void clearRemovesOnlyKeysUnderItsOwnPrefixNotThoseOfALongerPrefixStartingTheSame() {
        redis().set("litellm2:k", "keep: another prefix starting with litellm");
        redis().set("litellm", "keep: the prefix without its separator");
        backend().put(new CacheKey(null, "k"), entry("v"), null);
        backend().clear();
        assertThat(redis().keys("litellm:*")).isEmpty();
        assertThat(redis().keys("litellm*")).contains("litellm2:k", "litellm");
        redis().del("litellm2:k", "litellm");
    }

    @Test
    void backendRefusesAKeyPrefixWithAGlobCharacter() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() ->
                        RedisCacheBackend.dedicated("127.0.0.1", server.port(), null, "*:", Duration.ofSeconds(2)))
                .withMessageContaining("litellm.cache.redis.key-prefix");
    }

    @Test
    void valueThatIsNotAnEnvelopeIsAMiss() {
        CacheKey key = new CacheKey(null, "corrupt");
        redis().set("litellm:corrupt", "not json at all");
        assertThat(backend().get(key)).isNull();
        redis().set("litellm:corrupt", "{\"format\":3,\"stored_at\":1,\"type\":\"chat.completion\",\"response\":{}}");
        assertThat(backend().get(key)).as("another format version").isNull();
        redis().set("litellm:corrupt", "{\"format\":2,\"stored_at\":1,\"type\":\"image\",\"response\":{}}");
        assertThat(backend().get(key)).as("an unknown type").isNull();
    }

    @Test
    void closingADedicatedBackendClosesItsConnection() {
        CacheBackend dedicated = createBackend();
        dedicated.put(new CacheKey(null, "c"), entry("x"), null);
        long before = clients();
        dedicated.close();
        dedicated.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (clients() >= before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(clients()).isLessThan(before);
    }

    private static long clients() {
        return redis().clientList().lines().count();
    }
}
