package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisConnectionTests {

    @Test
    void portOutOfRangeIsRefusedNamingTheProperty() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new RedisConnection("redis", 70_000, null, "litellm:"))
                .withMessageContaining("litellm.cache.redis.port")
                .satisfies(error -> assertThat(error.action()).contains("between 1 and 65535"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "litellm", "app*:", "app?:", "app[12]:", "a\\b:", "*"})
    void keyPrefixThatIsEmptyHoldsAGlobCharacterOrDoesNotEndWithColonIsRefusedNamingTheProperty(String prefix) {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new RedisConnection(null, 6379, null, prefix))
                .withMessageContaining("litellm.cache.redis.key-prefix")
                .satisfies(error -> assertThat(error.action()).contains("ending with ':'", "litellm:"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"litellm:", "my-app:cache:", "team.a:"})
    void keyPrefixEndingWithColonWithoutGlobCharacterIsAccepted(String prefix) {
        assertThat(new RedisConnection(null, 6379, null, prefix).keyPrefix()).isEqualTo(prefix);
    }

    /** Lettuce would try to resolve such a host on every call, and the cache would stay off for good. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "redis://localhost:6379",
                "localhost:6380",
                "local host",
                ":s3cret@localhost",
                "rediss://default:s3cret@redis.internal:6380/0",
                "user:s3cret@redis.internal",
                "redis.internal/0",
                "redis\tinternal",
                "redis.internal?password=s3cret"
            })
    void aHostThatIsAUrlOrHoldsAPortAPasswordOrWhitespaceIsRefusedNamingThePropertyWithoutThePassword(String host) {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new RedisConnection(host, 6379, null, "litellm:"))
                .withMessageContaining("litellm.cache.redis.host")
                .withMessageNotContaining("s3cret")
                .satisfies(error -> assertThat(error.action())
                        .contains(
                                "host name or IP address",
                                "litellm.cache.redis.port",
                                "litellm.cache.redis.password",
                                "spring.data.redis.url"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis.internal", "10.0.0.5", "::1", "2001:db8::7", "fe80::1%eth0", "my_redis-1"})
    void aHostNameOrAnIpAddressIsAccepted(String host) {
        assertThat(new RedisConnection(host, 6379, null, "litellm:").host()).isEqualTo(host);
    }

    /** A .properties file keeps the spaces after a value. */
    @Test
    void aHostIsStrippedOfSurroundingWhitespace() {
        assertThat(new RedisConnection(" redis.internal ", 6379, null, "litellm:").host())
                .isEqualTo("redis.internal");
    }

    @Test
    void blankHostMeansTheApplicationsConnection() {
        RedisConnection connection = new RedisConnection(" ", 6380, null, "litellm:");
        assertThat(connection.host()).isNull();
        assertThat(connection.isDedicated()).isFalse();
    }

    @Test
    void dedicatedPortIsShownOnlyWithAHost() {
        assertThat(RedisConnection.DEFAULTS.dedicatedPort()).isNull();
        assertThat(new RedisConnection("redis", 6380, null, "litellm:").dedicatedPort())
                .isEqualTo(6380);
    }

    @Test
    void toStringMasksThePassword() {
        assertThat(new RedisConnection("redis", 6380, "hunter2", "litellm:").toString())
                .contains("redis", "6380", "******")
                .doesNotContain("hunter2");
    }

    @Test
    void connectionsWithTheSameValuesAreEqualAndAnotherKeyPrefixIsNot() {
        RedisConnection connection = new RedisConnection("redis", 6380, "pw", "a:");
        assertThat(connection).isEqualTo(new RedisConnection("redis", 6380, "pw", "a:"));
        assertThat(connection).isNotEqualTo(new RedisConnection("redis", 6380, "pw", "b:"));
    }
}
