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

    @ParameterizedTest
    @ValueSource(
            strings = {
                "redis://:hunter2@127.0.0.1:6379",
                "rediss://cache-user:hunter2@redis.internal",
                "cache-user:hunter2@redis.internal",
                "redis.internal/0",
                "redis .internal",
                "redis\tinternal"
            })
    void hostThatIsNotAHostNameSuchAsAUrlIsRefusedNamingThePropertyWithoutShowingIt(String host) {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new RedisConnection(host, 6379, null, "litellm:"))
                .withMessageContaining("litellm.cache.redis.host")
                .satisfies(error -> assertThat(error.toString()).doesNotContain(host, "hunter2"))
                .satisfies(error -> assertThat(error.action()).contains("spring.data.redis.url"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis.internal", "127.0.0.1", "::1", "2001:db8::7", "my-redis"})
    void hostNameOrAddressIsAccepted(String host) {
        assertThat(new RedisConnection(host, 6379, null, "litellm:").host()).isEqualTo(host);
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
