package io.github.litellmcache.actuate;

import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheStatistics;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.RedisConnection;
import io.github.litellmcache.cache.S3Connection;
import io.github.litellmcache.display.PropertyValues;
import io.github.litellmcache.display.Secrets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code litellmcache} Actuator endpoint: read shows whether the cache is enabled, its settings
 * with the secrets masked, and its counts; write with {@code enabled} turns it on or off; delete
 * clears its entries. Like every endpoint, it is reachable only where the application exposes it
 * ({@code management.endpoints.web.exposure.include}).
 */
@Endpoint(id = "litellmcache")
public class LlmCacheEndpoint {

    private final LlmCache cache;

    private final CacheStatistics statistics;

    /**
     * @param cache the cache to show and steer
     * @param statistics its counts
     */
    public LlmCacheEndpoint(LlmCache cache, CacheStatistics statistics) {
        this.cache = cache;
        this.statistics = statistics;
    }

    /** The cache now: whether it is enabled, its settings (secrets masked) and its counts. */
    @ReadOperation
    public CacheDescriptor cache() {
        CacheSettings settings = this.cache.settings();
        return new CacheDescriptor(
                this.cache.isEnabled(),
                PropertyValues.of(settings.type()),
                PropertyValues.of(settings.mode()),
                settings.supportedCallTypes().stream().map(PropertyValues::of).toList(),
                settings.namespace(),
                (settings.ttl() != null) ? PropertyValues.of(settings.ttl()) : null,
                ConnectionDescriptor.of(settings),
                this.statistics.counts());
    }

    /**
     * Turns the cache on ({@link LlmCache#enable()}) or off ({@link LlmCache#disable()}).
     *
     * @param enabled whether calls use the cache from now on
     * @return the cache after the change
     */
    @WriteOperation
    public CacheDescriptor enabled(boolean enabled) {
        if (enabled) {
            this.cache.enable();
        } else {
            this.cache.disable();
        }
        return cache();
    }

    /** Removes the cache's own entries ({@link LlmCache#clear()}), and nothing else in a shared store. */
    @DeleteOperation
    public void clear() {
        this.cache.clear();
    }

    /**
     * The cache as the endpoint shows it.
     *
     * @param enabled whether calls use the cache
     * @param type {@code local}, {@code redis} or {@code s3}
     * @param mode {@code default-on} or {@code default-off}
     * @param supportedCallTypes the call types that use the cache, such as {@code completion}
     * @param namespace the default namespace, or null
     * @param ttl the default time to live, such as {@code 10m}, or null for no expiry
     * @param connection where the entries are, with the secrets masked
     * @param counts what the cache did since the application started
     */
    public record CacheDescriptor(
            boolean enabled,
            String type,
            String mode,
            List<String> supportedCallTypes,
            @Nullable String namespace,
            @Nullable String ttl,
            ConnectionDescriptor connection,
            CacheStatistics.Counts counts)
            implements OperationResponseBody {}

    /**
     * Where the entries are stored (Redis and S3 settings), the secrets shown as {@code ******} when
     * set. Unset values are null.
     *
     * @param host the Redis host; null when the application's Redis connection is used
     * @param port the Redis port of the dedicated connection; null when the application's Redis connection is used
     * @param password the Redis password, masked
     * @param s3BucketName the S3 bucket
     * @param s3RegionName the S3 region
     * @param s3EndpointUrl the S3 endpoint
     * @param s3Path the key prefix inside the bucket
     * @param s3AwsAccessKeyId the AWS access key id, masked
     * @param s3AwsSecretAccessKey the AWS secret access key, masked
     * @param s3AwsSessionToken the AWS session token, masked
     */
    public record ConnectionDescriptor(
            @Nullable String host,
            @Nullable Integer port,
            @Nullable String password,
            @Nullable String s3BucketName,
            @Nullable String s3RegionName,
            @Nullable String s3EndpointUrl,
            @Nullable String s3Path,
            @Nullable String s3AwsAccessKeyId,
            @Nullable String s3AwsSecretAccessKey,
            @Nullable String s3AwsSessionToken) {

        static ConnectionDescriptor of(CacheSettings settings) {
            RedisConnection redis = settings.redis();
            S3Connection s3 = settings.s3();
            return new ConnectionDescriptor(
                    redis.host(),
                    redis.dedicatedPort(),
                    Secrets.mask(redis.password()),
                    s3.bucketName(),
                    s3.regionName(),
                    s3.endpointUrl(),
                    s3.path(),
                    Secrets.mask(s3.awsAccessKeyId()),
                    Secrets.mask(s3.awsSecretAccessKey()),
                    Secrets.mask(s3.awsSessionToken()));
        }
    }
}
