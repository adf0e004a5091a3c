package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class S3ConnectionTests {

    private static S3Connection bucketWith(
            String regionName, Boolean useSsl, String verify, String accessKeyId, String secretAccessKey) {
        return new S3Connection(
                "bucket", "path", regionName, null, useSsl, verify, accessKeyId, secretAccessKey, null, null);
    }

    @Test
    void withoutAPathTheCacheKeepsToTheLitellmCacheFolder() {
        assertThat(S3Connection.DEFAULTS.path()).isEqualTo("litellm-cache");
        assertThat(CacheSettings.defaults().s3Path()).isEqualTo("litellm-cache");
        for (String none : new String[] {null, "", "  ", "/", "//"}) {
            assertThat(new S3Connection("bucket", none, null, null, null, null, null, null, null, null).path())
                    .isEqualTo("litellm-cache");
        }
    }

    @Test
    void pathLosesLeadingAndTrailingSlashes() {
        assertThat(new S3Connection("bucket", " /team/cache/ ", null, null, null, null, null, null, null, null).path())
                .isEqualTo("team/cache");
    }

    @Test
    void bucketAndPathAloneUseTheApplicationsClient() {
        assertThat(bucketWith(null, null, null, null, null).isDedicated()).isFalse();
    }

    @Test
    void defaultSslAndVerifyValuesUseTheApplicationsClient() {
        assertThat(bucketWith(null, true, "true", null, null).isDedicated()).isFalse();
        assertThat(bucketWith(" ", true, " TRUE ", "", null).isDedicated()).isFalse();
    }

    @Test
    void anyClientSettingAsksForADedicatedClient() {
        assertThat(bucketWith("eu-west-1", null, null, null, null).isDedicated())
                .isTrue();
        assertThat(bucketWith(null, false, null, null, null).isDedicated()).isTrue();
        assertThat(bucketWith(null, null, "false", null, null).isDedicated()).isTrue();
        assertThat(bucketWith(null, null, null, "AKIA", "secret").isDedicated()).isTrue();
        assertThat(new S3Connection("bucket", null, null, "http://127.0.0.1:9000", null, null, null, null, null, null)
                        .isDedicated())
                .isTrue();
    }

    /** S3 would answer every read and write of such a bucket with an error, and the cache would stay off. */
    @ParameterizedTest
    @CsvSource({
        "my bucket, us-east-1, litellm.cache.s3.bucket-name",
        "s3://my-bucket, us-east-1, litellm.cache.s3.bucket-name",
        "my-bucket/cache, us-east-1, litellm.cache.s3.bucket-name",
        "my-bucket, us east 1, litellm.cache.s3.region-name"
    })
    void aBucketOrRegionHoldingWhitespaceOrASlashIsRefusedNamingTheProperty(
            String bucket, String region, String property) {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new S3Connection(bucket, null, region, null, null, null, null, null, null, null))
                .withMessageContaining(property);
    }

    /** A .properties file keeps the spaces after a value. */
    /** Else every S3 write of an entry whose name is hashed to fit would fail, as its key passes 1,024 bytes. */
    @ParameterizedTest
    @ValueSource(strings = {"a", "\u00e9"})
    void aPathLeavingNoRoomForAnEntryNameInS3sKeysIsRefusedNamingThePropertyAndTheBound(String character) {
        String path = character.repeat(952 / character.getBytes(StandardCharsets.UTF_8).length);
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new S3Connection("bucket", path, null, null, null, null, null, null, null, null))
                .withMessageContaining("litellm.cache.s3.path")
                .satisfies(error -> assertThat(error.action()).contains("at most 951 bytes"));
        assertThat(new S3Connection("bucket", path.substring(1), null, null, null, null, null, null, null, null).path())
                .hasSize(path.length() - 1);
    }

    @Test
    void credentialsWithoutBothKeysAreRefusedNamingThemWithoutShowingThem() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> bucketWith(null, null, null, "AKIAEXAMPLE", " "))
                .withMessageContaining("litellm.cache.s3.aws-secret-access-key")
                .withMessageNotContaining("AKIAEXAMPLE");
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new S3Connection("bucket", null, null, null, null, null, null, null, "token", null))
                .withMessageContaining("litellm.cache.s3.aws-access-key-id");
    }

    @Test
    void aBucketIsStrippedOfSurroundingWhitespace() {
        assertThat(new S3Connection(" my-bucket ", null, null, null, null, null, null, null, null, null).bucketName())
                .isEqualTo("my-bucket");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://AKIAEXAMPLE:s3-secret@minio:9000",
                "https://s3-secret@minio",
                "http://a b:s3-secret@minio"
            })
    void endpointUrlHoldingCredentialsIsRefusedNamingThePropertyWithoutShowingIt(String endpointUrl) {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(
                        () -> new S3Connection("bucket", null, null, endpointUrl, null, null, null, null, null, null))
                .withMessageContaining("litellm.cache.s3.endpoint-url")
                .satisfies(error -> assertThat(error.toString()).doesNotContain("s3-secret"))
                .satisfies(error -> assertThat(error.action()).contains("litellm.cache.s3.aws-secret-access-key"));
    }

    @Test
    void missingBucketIsRefusedNamingTheProperty() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(S3Connection.DEFAULTS::requireBucket)
                .satisfies(error -> assertThat(error.action()).contains("litellm.cache.s3.bucket-name"));
    }

    @Test
    void toStringMasksTheCredentials() {
        S3Connection connection =
                new S3Connection("bucket", null, null, null, null, null, "AKIAID", "secret-key", "session", null);
        assertThat(connection.toString())
                .contains("bucket", "******")
                .doesNotContain("AKIAID", "secret-key", "session");
    }

    @Test
    void connectionsWithTheSameValuesAreEqualAndAnotherPathIsNot() {
        assertThat(bucketWith("eu-west-1", null, null, null, null))
                .isEqualTo(bucketWith("eu-west-1", null, null, null, null));
        assertThat(new S3Connection("bucket", "a", null, null, null, null, null, null, null, null))
                .isNotEqualTo(new S3Connection("bucket", "b", null, null, null, null, null, null, null, null));
    }
}
