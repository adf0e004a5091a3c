package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;

class RedisConnectionTests {

    @Test
    void portOutOfRangeIsRefusedNamingTheProperty() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new RedisConnection("redis", 70_000, null, "litellm:"))
                .withMessageContaining("litellm.cache.redis.port")
                .satisfies(error -> assertThat(error.action()).contains("between 1 and 65535"));
    }

    @Test
    void emptyKeyPrefixIsRefusedNamingTheProperty() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new RedisConnection(null, 6379, null, ""))
                .withMessageContaining("litellm.cache.redis.key-prefix");
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
