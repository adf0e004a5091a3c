package io.github.litellmcache.autoconfigure;

import io.github.litellmcache.cache.CacheConfigurationException;
import io.github.litellmcache.cache.CacheMode;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.cache.LocalLimits;
import io.github.litellmcache.cache.NearCacheSettings;
import io.github.litellmcache.cache.RedisConnection;
import io.github.litellmcache.cache.S3Connection;
import io.github.litellmcache.cache.Timeouts;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the cache ({@code litellm.cache.*}), mapped onto {@link CacheSettings}, whose records validate the
 * values. An unknown {@code litellm.cache.*} property stops startup: a misspelt one would otherwise leave its setting
 * at the default (a misspelt {@code redis.host} puts the cache on the application's Redis).
 */
@ConfigurationProperties(prefix = LiteLlmCacheProperties.PREFIX, ignoreUnknownFields = false)
public class LiteLlmCacheProperties {

    public static final String PREFIX = "litellm.cache";

    /** Whether the cache starts enabled; LlmCache.enable() turns it on at runtime. */
    private boolean enabled = true;

    /** Where entries are stored. */
    private CacheType type = CacheType.LOCAL;

    /** Whether calls use the cache unless they set caching(false), or only when they set caching(true). */
    private CacheMode mode = CacheMode.DEFAULT_ON;

    /** Call types that use the cache, at least one; other calls neither read nor write it. */
    private Set<CallType> supportedCallTypes = EnumSet.allOf(CallType.class);

    /** Default time to live of entries; unset means they do not expire. */
    private @Nullable Duration ttl;

    /**
     * How long entries are kept past their TTL, to answer when the provider fails with a server error, a
     * timeout or a connection failure (RFC 5861's stale-if-error); unset keeps none.
     */
    private @Nullable Duration staleIfError;

    /**
     * Default namespace of entries, at most 64 characters, without ':', '/', a control character, U+FFFE, U+FFFF or an
     * unpaired surrogate; entries of one namespace are never served to another.
     */
    private @Nullable String namespace;

    /**
     * Most of a streamed answer recorded to be stored, each chunk counted as the larger of its JSON and the heap it
     * holds; a longer stream is passed on whole to its caller but not stored, and the cache keeps no more of its chunks
     * than this meanwhile.
     */
    private DataSize maxStreamSize = CacheSettings.DEFAULT_MAX_STREAM_SIZE;

    /**
     * Longest a remote (Redis, S3) read or write may take before the read counts as a miss or the write is dropped,
     * from 1ms to 3650 days.
     */
    private Duration timeout = Duration.ofMillis(250);

    /**
     * How long a remote backend (Redis, S3) is skipped after repeated failures before calls try it again, at most 3650
     * days.
     */
    private Duration cooldown = Duration.ofSeconds(5);

    private final Local local = new Local();

    private final Redis redis = new Redis();

    private final S3 s3 = new S3();

    private final Near near = new Near();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public CacheType getType() {
        return this.type;
    }

    public void setType(CacheType type) {
        this.type = type;
    }

    public CacheMode getMode() {
        return this.mode;
    }

    public void setMode(CacheMode mode) {
        this.mode = mode;
    }

    public Set<CallType> getSupportedCallTypes() {
        return this.supportedCallTypes;
    }

    public void setSupportedCallTypes(Set<CallType> supportedCallTypes) {
        this.supportedCallTypes = supportedCallTypes;
    }

    public @Nullable Duration getTtl() {
        return this.ttl;
    }

    public void setTtl(@Nullable Duration ttl) {
        this.ttl = ttl;
    }

    public @Nullable Duration getStaleIfError() {
        return this.staleIfError;
    }

    public void setStaleIfError(@Nullable Duration staleIfError) {
        this.staleIfError = staleIfError;
    }

    public @Nullable String getNamespace() {
        return this.namespace;
    }

    public void setNamespace(@Nullable String namespace) {
        this.namespace = namespace;
    }

    public DataSize getMaxStreamSize() {
        return this.maxStreamSize;
    }

    public void setMaxStreamSize(DataSize maxStreamSize) {
        this.maxStreamSize = maxStreamSize;
    }

    public Duration getTimeout() {
        return this.timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public Duration getCooldown() {
        return this.cooldown;
    }

    public void setCooldown(Duration cooldown) {
        this.cooldown = cooldown;
    }

    public Local getLocal() {
        return this.local;
    }

    public Redis getRedis() {
        return this.redis;
    }

    public S3 getS3() {
        return this.s3;
    }

    public Near getNear() {
        return this.near;
    }

    /** The settings these properties describe; throws {@link CacheConfigurationException} for a wrong value. */
    CacheSettings toSettings() {
        return CacheSettings.builder()
                .type(this.type)
                .mode(this.mode)
                .supportedCallTypes(this.supportedCallTypes)
                .ttl(this.ttl)
                .staleIfError(this.staleIfError)
                .namespace(this.namespace)
                .maxStreamSize(this.maxStreamSize)
                .local(new LocalLimits(this.local.maximumSize, this.local.maxMemory))
                .redis(new RedisConnection(
                        this.redis.host,
                        this.redis.port,
                        this.redis.password,
                        this.redis.keyPrefix,
                        this.redis.fleetSingleFlight))
                .s3(new S3Connection(
                        this.s3.bucketName,
                        this.s3.path,
                        this.s3.regionName,
                        this.s3.endpointUrl,
                        this.s3.useSsl,
                        this.s3.verify,
                        this.s3.awsAccessKeyId,
                        this.s3.awsSecretAccessKey,
                        this.s3.awsSessionToken,
                        this.s3.apiVersion))
                .timeouts(new Timeouts(this.timeout, this.cooldown))
                .near(new NearCacheSettings(this.near.enabled, this.near.maxMemory, this.near.ttl))
                .build();
    }

    /** The in-process cache. */
    public static class Local {

        /** Most entries kept; the least used are evicted beyond it. */
        private long maximumSize = 10_000;

        /**
         * Most heap all entries hold, as estimated when each is stored (every chunk of a stored stream, the assembled
         * response with its logprobs and other fields, every embedding vector; often several times their JSON); the
         * least used are evicted beyond it. Applies alongside maximum-size.
         */
        private DataSize maxMemory = LocalLimits.DEFAULT_MAX_MEMORY;

        public long getMaximumSize() {
            return this.maximumSize;
        }

        public void setMaximumSize(long maximumSize) {
            this.maximumSize = maximumSize;
        }

        public DataSize getMaxMemory() {
            return this.maxMemory;
        }

        public void setMaxMemory(DataSize maxMemory) {
            this.maxMemory = maxMemory;
        }
    }

    /** An in-process tier in front of Redis or S3, read first; without effect on a local cache. */
    public static class Near {

        /** Whether Redis and S3 get a near tier (kept coherent with Redis by its invalidation messages). */
        private boolean enabled;

        /** Most heap all near entries hold, estimated as local entries are; the least used are evicted beyond it. */
        private DataSize maxMemory = NearCacheSettings.DEFAULT_MAX_MEMORY;

        /** S3 only: how long a near entry lives at most, the bound on its staleness (S3 sends no invalidations). */
        private Duration ttl = NearCacheSettings.DEFAULT_TTL;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public DataSize getMaxMemory() {
            return this.maxMemory;
        }

        public void setMaxMemory(DataSize maxMemory) {
            this.maxMemory = maxMemory;
        }

        public Duration getTtl() {
            return this.ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }
    }

    /** The Redis cache. */
    public static class Redis {

        /**
         * Redis host name or address of a dedicated connection, not a URL; unset means the application's
         * RedisConnectionFactory (spring.data.redis.*, which takes a URL).
         */
        private @Nullable String host;

        /** Redis port of the dedicated connection. */
        private int port = 6379;

        /** Redis password of the dedicated connection. */
        private @Nullable String password;

        /**
         * Prefix of every Redis key this cache writes, so that it can clear its own keys and nothing else; ends with
         * ':' and holds no glob character (* ? [ ] \).
         */
        private String keyPrefix = "litellm:";

        /**
         * Whether identical misses on different instances make one provider call: the first takes a lease in Redis,
         * the others wait for its answer within their request timeout.
         */
        private boolean fleetSingleFlight = true;

        public @Nullable String getHost() {
            return this.host;
        }

        public void setHost(@Nullable String host) {
            this.host = host;
        }

        public int getPort() {
            return this.port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public @Nullable String getPassword() {
            return this.password;
        }

        public void setPassword(@Nullable String password) {
            this.password = password;
        }

        public String getKeyPrefix() {
            return this.keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        public boolean isFleetSingleFlight() {
            return this.fleetSingleFlight;
        }

        public void setFleetSingleFlight(boolean fleetSingleFlight) {
            this.fleetSingleFlight = fleetSingleFlight;
        }
    }

    /** The S3 cache; without any client setting, the application's S3Client (spring.cloud.aws.*) is used. */
    public static class S3 {

        /** Bucket that holds the cache; required for type s3. */
        private @Nullable String bucketName;

        /** Region of the bucket. */
        private @Nullable String regionName;

        /** Accepted for parity with LiteLLM; the AWS SDK v2 has a single API version, so it has no effect. */
        private @Nullable String apiVersion;

        /** Whether to reach the endpoint over HTTPS. */
        private @Nullable Boolean useSsl;

        /** Certificate verification: true, false (trust any certificate, for this client only) or the path of a CA bundle. */
        private @Nullable String verify;

        /** Endpoint of an S3-compatible store, without credentials in it; implies path-style access. */
        private @Nullable String endpointUrl;

        /** AWS access key id. */
        private @Nullable String awsAccessKeyId;

        /** AWS secret access key. */
        private @Nullable String awsSecretAccessKey;

        /** AWS session token. */
        private @Nullable String awsSessionToken;

        /**
         * Folder of the cache's objects inside the bucket, of at most 951 bytes without control characters; clear()
         * deletes exactly the objects directly in it, so deployments that must be cleared apart need different paths.
         */
        private String path = S3Connection.DEFAULT_PATH;

        public @Nullable String getBucketName() {
            return this.bucketName;
        }

        public void setBucketName(@Nullable String bucketName) {
            this.bucketName = bucketName;
        }

        public @Nullable String getRegionName() {
            return this.regionName;
        }

        public void setRegionName(@Nullable String regionName) {
            this.regionName = regionName;
        }

        public @Nullable String getApiVersion() {
            return this.apiVersion;
        }

        public void setApiVersion(@Nullable String apiVersion) {
            this.apiVersion = apiVersion;
        }

        public @Nullable Boolean getUseSsl() {
            return this.useSsl;
        }

        public void setUseSsl(@Nullable Boolean useSsl) {
            this.useSsl = useSsl;
        }

        public @Nullable String getVerify() {
            return this.verify;
        }

        public void setVerify(@Nullable String verify) {
            this.verify = verify;
        }

        public @Nullable String getEndpointUrl() {
            return this.endpointUrl;
        }

        public void setEndpointUrl(@Nullable String endpointUrl) {
            this.endpointUrl = endpointUrl;
        }

        public @Nullable String getAwsAccessKeyId() {
            return this.awsAccessKeyId;
        }

        public void setAwsAccessKeyId(@Nullable String awsAccessKeyId) {
            this.awsAccessKeyId = awsAccessKeyId;
        }

        public @Nullable String getAwsSecretAccessKey() {
            return this.awsSecretAccessKey;
        }

        public void setAwsSecretAccessKey(@Nullable String awsSecretAccessKey) {
            this.awsSecretAccessKey = awsSecretAccessKey;
        }

        public @Nullable String getAwsSessionToken() {
            return this.awsSessionToken;
        }

        public void setAwsSessionToken(@Nullable String awsSessionToken) {
            this.awsSessionToken = awsSessionToken;
        }

        public String getPath() {
            return this.path;
        }

        public void setPath(String path) {
            this.path = path;
        }
    }
}
