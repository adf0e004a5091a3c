package io.github.litellmcache.cache;

import io.github.litellmcache.display.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Where the S3 backend keeps its entries and how its client reaches them ({@code litellm.cache.s3.*}, LiteLLM's
 * {@code s3_*} parameters). Without any client setting the application's S3 client is used. Blank values count as
 * unset.
 *
 * @param bucketName the bucket that holds the entries; required for type S3
 * @param path the folder of the entries inside the bucket, without leading or trailing {@code /}; blank or null means
 *     {@value #DEFAULT_PATH}
 * @param regionName the region of the bucket, or null
 * @param endpointUrl the endpoint of an S3-compatible store, or null
 * @param useSsl whether to reach the endpoint over HTTPS; null for the default (true)
 * @param verify {@code true}, {@code false} (trust any certificate) or the path of a CA bundle; null for true
 * @param awsAccessKeyId the AWS access key id, or null; never shown
 * @param awsSecretAccessKey the AWS secret access key, or null; never shown
 * @param awsSessionToken the AWS session token, or null; never shown
 * @param apiVersion accepted for parity with LiteLLM; the AWS SDK v2 has a single API version
 */
public record S3Connection(
        @Nullable String bucketName,
        String path,
        @Nullable String regionName,
        @Nullable String endpointUrl,
        @Nullable Boolean useSsl,
        @Nullable String verify,
        @Nullable String awsAccessKeyId,
        @Nullable String awsSecretAccessKey,
        @Nullable String awsSessionToken,
        @Nullable String apiVersion) {

    /**
     * The folder of the entries when none is set, so that {@code clear()} deletes the objects under it and never the
     * rest of the bucket.
     */
    public static final String DEFAULT_PATH = "litellm-cache";

    /** S3's longest object key, in bytes of UTF-8. */
    public static final int MAX_OBJECT_KEY_BYTES = 1_024;

    /**
     * The longest {@link #path()}, in bytes of UTF-8: what S3's object keys leave beside the longest name the S3
     * backend gives an entry, {@code /%sha256-} and 64 hex digits.
     */
    public static final int MAX_PATH_BYTES = MAX_OBJECT_KEY_BYTES - "/%sha256-".length() - 64;

    private static final Pattern NOT_A_NAME = Pattern.compile("[\\s/]");

    /** No bucket, the default path, and the application's client. */
    public static final S3Connection DEFAULTS =
            new S3Connection(null, null, null, null, null, null, null, null, null, null);

    /**
     * Normalizes the path ({@link #normalizedPath(String)}) and strips the bucket and region of surrounding whitespace.
     *
     * @throws CacheConfigurationException for a bucket or region holding whitespace or {@code /}, which S3 would refuse
     *     on every call; a path holding a control character, as S3 lists such keys in XML that cannot be parsed, so
     *     that {@code clear()} would fail for every cache under that path, or longer than {@link #MAX_PATH_BYTES};
     *     an endpoint URL holding credentials ({@code user:secret@}), which the AWS SDK does not use, and which is
     *     therefore not shown; or credentials without both the access key id and the secret access key
     */
    public S3Connection {
        bucketName = requireName(
                bucketName,
                "litellm.cache.s3.bucket-name",
                "s3BucketName",
                "my-cache-bucket, with the folder of the entries in litellm.cache.s3.path");
        regionName = requireName(regionName, "litellm.cache.s3.region-name", "s3RegionName", "eu-west-1");
        if (endpointUrl != null && endpointUrl.contains("@")) {
            throw new CacheConfigurationException(
                    "litellm.cache.s3.endpoint-url (s3EndpointUrl) holds credentials ('@'), which the AWS SDK does not"
                            + " use (the value is not shown).",
                    "Set litellm.cache.s3.endpoint-url to the URL without them, such as http://minio:9000, and the"
                            + " credentials as litellm.cache.s3.aws-access-key-id and"
                            + " litellm.cache.s3.aws-secret-access-key.");
        }
        if (Stream.of(awsAccessKeyId, awsSecretAccessKey, awsSessionToken).anyMatch(S3Connection::isSet)
                && !(isSet(awsAccessKeyId) && isSet(awsSecretAccessKey))) {
            throw new CacheConfigurationException(
                    "The S3 cache's credentials are incomplete: litellm.cache.s3.aws-access-key-id (s3AwsAccessKeyId)"
                            + " and litellm.cache.s3.aws-secret-access-key (s3AwsSecretAccessKey) go together (the"
                            + " values are not shown).",
                    "Set both, with litellm.cache.s3.aws-session-token for temporary credentials, or none of the"
                            + " credentials to use the AWS default credentials chain.");
        }
        path = normalizedPath(path);
        if (path.chars().anyMatch(Character::isISOControl)
                || path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw CacheConfigurationException.invalid(
                    "litellm.cache.s3.path",
                    "s3Path",
                    path,
                    "a folder of at most " + MAX_PATH_BYTES + " bytes without control characters, such as "
                            + DEFAULT_PATH);
        }
    }

    /** {@code name} stripped, null when blank, refused when it holds whitespace or {@code /}. */
    private static @Nullable String requireName(
            @Nullable String name, String property, String setting, String example) {
        if (!isSet(name)) {
            return null;
        }
        String stripped = name.strip();
        if (NOT_A_NAME.matcher(stripped).find()) {
            throw CacheConfigurationException.invalid(
                    property, setting, stripped, "a name without whitespace or '/', such as " + example);
        }
        return stripped;
    }

    /**
     * {@code path} without leading or trailing {@code /}; {@value #DEFAULT_PATH} when that leaves nothing.
     *
     * @param path a configured path, or null
     */
    public static String normalizedPath(@Nullable String path) {
        String trimmed = (path != null) ? path.strip().replaceAll("^/+|/+$", "") : "";
        return trimmed.isEmpty() ? DEFAULT_PATH : trimmed;
    }

    /**
     * Whether any client setting is set (region, endpoint URL, credentials, {@code useSsl} false or a {@code verify}
     * other than true), so that the cache needs a dedicated client rather than the application's. The defaults
     * {@code use-ssl: true} and {@code verify: true} alone keep the application's client.
     */
    public boolean isDedicated() {
        return Stream.of(
                                this.regionName,
                                this.endpointUrl,
                                this.awsAccessKeyId,
                                this.awsSecretAccessKey,
                                this.awsSessionToken)
                        .anyMatch(S3Connection::isSet)
                || Boolean.FALSE.equals(this.useSsl)
                || (this.verify != null && isSet(this.verify) && !"true".equalsIgnoreCase(this.verify.strip()));
    }

    /** @throws CacheConfigurationException when no bucket is set, which type S3 needs */
    void requireBucket() {
        if (!isSet(this.bucketName)) {
            throw new CacheConfigurationException(
                    "litellm.cache.type is s3 but no bucket is configured.",
                    "Set litellm.cache.s3.bucket-name (s3BucketName) to the bucket that holds the cache, or choose"
                            + " another litellm.cache.type.");
        }
    }

    List<@Nullable String> secrets() {
        return Arrays.asList(this.awsAccessKeyId, this.awsSecretAccessKey, this.awsSessionToken);
    }

    private static boolean isSet(@Nullable String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public String toString() {
        return "S3Connection[bucketName=" + this.bucketName + ", path=" + this.path + ", regionName="
                + this.regionName + ", endpointUrl=" + this.endpointUrl + ", useSsl=" + this.useSsl + ", verify="
                + this.verify + ", awsAccessKeyId=" + Secrets.mask(this.awsAccessKeyId) + ", awsSecretAccessKey="
                + Secrets.mask(this.awsSecretAccessKey) + ", awsSessionToken=" + Secrets.mask(this.awsSessionToken)
                + ", apiVersion=" + this.apiVersion + "]";
    }
}
