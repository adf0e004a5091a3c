package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheSettingsTests {

    private static final S3Connection BUCKET =
            new S3Connection("bucket", "cache", "eu-west-1", null, null, null, "AKIAID", "secret-key", "token", null);

    @Test
    void flatAccessorsReadTheRecords() {
        CacheSettings settings = CacheSettings.builder()
                .host("redis")
                .port(6380)
                .password("pw")
                .s3BucketName("bucket")
                .s3Path("cache")
                .s3RegionName("eu-west-1")
                .s3AwsAccessKeyId("AKIAID")
                .s3AwsSecretAccessKey("secret-key")
                .build();
        assertThat(settings.redis()).isEqualTo(new RedisConnection("redis", 6380, "pw", "litellm:"));
        assertThat(settings.s3().bucketName())
                .isEqualTo(settings.s3BucketName())
                .isEqualTo("bucket");
        assertThat(settings.s3().path()).isEqualTo(settings.s3Path()).isEqualTo("cache");
        assertThat(settings.s3().awsSecretAccessKey()).isEqualTo(settings.s3AwsSecretAccessKey());
        assertThat(settings.host()).isEqualTo("redis");
        assertThat(settings.port()).isEqualTo(6380);
    }

    @Test
    void defaultsAreALocalCacheWithEachRecordsDefaults() {
        CacheSettings defaults = CacheSettings.defaults();
        assertThat(defaults.type()).isEqualTo(CacheType.LOCAL);
        assertThat(defaults.local()).isEqualTo(LocalLimits.DEFAULTS);
        assertThat(defaults.redis()).isEqualTo(RedisConnection.DEFAULTS);
        assertThat(defaults.s3()).isEqualTo(S3Connection.DEFAULTS);
        assertThat(defaults.timeouts()).isEqualTo(Timeouts.DEFAULTS);
    }

    @Test
    void toBuilderKeepsEveryRecord() {
        CacheSettings settings = CacheSettings.builder()
                .type(CacheType.S3)
                .local(new LocalLimits(5))
                .redis(new RedisConnection("redis", 6380, "pw", "other:"))
                .s3(BUCKET)
                .timeouts(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(30)))
                .build();
        CacheSettings copy = settings.toBuilder().build();
        assertThat(copy.local()).isEqualTo(settings.local());
        assertThat(copy.redis()).isEqualTo(settings.redis());
        assertThat(copy.s3()).isEqualTo(settings.s3());
        assertThat(copy.timeouts()).isEqualTo(settings.timeouts());
        assertThat(copy.sameBackendAs(settings)).isTrue();
    }

    @Test
    void sameBackendComparesOnlyTheRecordOfTheCurrentType() {
        CacheSettings local = CacheSettings.defaults();
        assertThat(local.sameBackendAs(
                        local.toBuilder().host("elsewhere").s3(BUCKET).build()))
                .as("Redis and S3 settings do not matter to a local cache")
                .isTrue();
        assertThat(local.sameBackendAs(
                        local.toBuilder().local(new LocalLimits(5)).build()))
                .isFalse();
        CacheSettings redis = CacheSettings.builder().type(CacheType.REDIS).build();
        assertThat(redis.sameBackendAs(
                        redis.toBuilder().local(new LocalLimits(5)).build()))
                .isTrue();
        assertThat(redis.sameBackendAs(redis.toBuilder()
                        .redis(new RedisConnection(null, 6379, null, "other:"))
                        .build()))
                .isFalse();
    }

    @Test
    void sameBackendRequiresTheSameTypeAndForARemoteOneTheSameTimeouts() {
        CacheSettings local = CacheSettings.defaults();
        Timeouts other = new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(local.sameBackendAs(local.toBuilder().type(CacheType.REDIS).build()))
                .isFalse();
        assertThat(local.sameBackendAs(local.toBuilder().timeouts(other).build()))
                .as("a local cache, which no deadline guards, kept with its entries")
                .isTrue();
        CacheSettings redis = local.toBuilder().type(CacheType.REDIS).build();
        assertThat(redis.sameBackendAs(redis.toBuilder().timeouts(other).build()))
                .isFalse();
        assertThat(local.sameBackendAs(local.toBuilder()
                        .namespace("team")
                        .ttl(Duration.ofMinutes(1))
                        .build()))
                .isTrue();
    }

    @Test
    void toStringShowsPropertyValuesAndNoSecret() {
        CacheSettings settings = CacheSettings.builder()
                .mode(CacheMode.DEFAULT_OFF)
                .ttl(Duration.ofMinutes(10))
                .password("hunter2")
                .s3(BUCKET)
                .build();
        assertThat(settings.toString())
                .contains("type=local", "mode=default-off", "ttl=10m", "acompletion", "bucket")
                .doesNotContain("hunter2", "AKIAID", "secret-key", "token");
    }

    @Test
    void redactMasksEverySecretOfTheSettings() {
        CacheSettings settings =
                CacheSettings.builder().password("hunter2").s3(BUCKET).build();
        assertThat(settings.redact("auth hunter2 with AKIAID/secret-key and token"))
                .isEqualTo("auth ****** with ******/****** and ******");
    }

    @Test
    void ttlMustNotBeNegativeAndZeroMeansStoreNothing() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> CacheSettings.builder().ttl(Duration.ofSeconds(-5)))
                .withMessageContaining("litellm.cache.ttl");
        assertThat(CacheSettings.builder().ttl(Duration.ZERO).build().ttl()).isZero();
    }

    /** Else every call would bypass the cache while it reports itself enabled. */
    @Test
    void noSupportedCallTypeIsRefusedSayingHowToTurnTheCacheOff() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> CacheSettings.builder().supportedCallTypes(List.of()))
                .withMessageContaining("litellm.cache.supported-call-types")
                .satisfies(error -> assertThat(error.action())
                        .contains("completion, acompletion, embedding, aembedding", "litellm.cache.enabled=false"));
    }

    @Test
    void blankNamespaceMeansNone() {
        assertThat(CacheSettings.builder().namespace(" ").build().namespace()).isNull();
    }

    @Test
    void aNamespaceOrS3PathWithAControlCharacterIsRefusedByTheBuilder() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> CacheSettings.builder().namespace("team\na"))
                .withMessageContaining("litellm.cache.namespace");
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> CacheSettings.builder().s3Path("cache\u0000").build())
                .withMessageContaining("litellm.cache.s3.path");
    }

    @Test
    void typeS3WithoutABucketIsRefused() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> CacheSettings.builder().type(CacheType.S3).build())
                .satisfies(error -> assertThat(error.action()).contains("s3BucketName"));
    }

    @Test
    void invalidRecordValuesAreRefusedByBuild() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> CacheSettings.builder().host("redis").port(0).build())
                .withMessageContaining("litellm.cache.redis.port");
    }
}
