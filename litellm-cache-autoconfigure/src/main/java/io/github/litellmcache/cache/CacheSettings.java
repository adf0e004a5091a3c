package io.github.litellmcache.cache;

import io.github.litellmcache.display.PropertyValues;
import io.github.litellmcache.display.Secrets;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * The settings of the cache, mirroring the parameters of LiteLLM's {@code Cache(...)}; build them with
 * {@link #builder()} and apply them with {@link LlmCache#update(CacheSettings)}. Each backend's settings are one
 * record ({@link LocalLimits}, {@link RedisConnection}, {@link S3Connection}), as are the {@link Timeouts} and the
 * {@link NearCacheSettings near tier}; each
 * record validates, compares and shows itself, with its secrets masked. The flat accessors ({@link #host()},
 * {@link #s3BucketName()}, ...) read those records.
 */
public final class CacheSettings {

    /** The default of {@link #maxStreamSize()}. */
    public static final DataSize DEFAULT_MAX_STREAM_SIZE = DataSize.ofMegabytes(4);

    private final CacheType type;
    private final Set<CallType> supportedCallTypes;
    private final CacheMode mode;
    private final @Nullable Duration ttl;
    private final @Nullable Duration staleIfError;
    private final @Nullable String namespace;
    private final DataSize maxStreamSize;
    private final LocalLimits local;
    private final RedisConnection redis;
    private final S3Connection s3;
    private final Timeouts timeouts;
    private final NearCacheSettings near;

    private CacheSettings(Builder builder) {
        this.type = builder.type;
        this.supportedCallTypes = Collections.unmodifiableSet(EnumSet.copyOf(builder.supportedCallTypes));
        this.mode = builder.mode;
        this.ttl = builder.ttl;
        this.staleIfError = builder.staleIfError;
        this.namespace = builder.namespace;
        this.maxStreamSize = builder.maxStreamSize;
        this.local = builder.local;
        this.redis = new RedisConnection(
                builder.host, builder.port, builder.password, builder.keyPrefix, builder.fleetSingleFlight);
        this.s3 = new S3Connection(
                builder.s3BucketName,
                builder.s3Path,
                builder.s3RegionName,
                builder.s3EndpointUrl,
                builder.s3UseSsl,
                builder.s3Verify,
                builder.s3AwsAccessKeyId,
                builder.s3AwsSecretAccessKey,
                builder.s3AwsSessionToken,
                builder.s3ApiVersion);
        this.timeouts = builder.timeouts;
        this.near = builder.near;
        if (this.type == CacheType.S3) {
            this.s3.requireBucket();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A local cache for every call type, default-on, with no TTL and no namespace. */
    public static CacheSettings defaults() {
        return builder().build();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder()
                .type(this.type)
                .supportedCallTypes(this.supportedCallTypes)
                .mode(this.mode)
                .ttl(this.ttl)
                .staleIfError(this.staleIfError)
                .namespace(this.namespace)
                .maxStreamSize(this.maxStreamSize)
                .local(this.local)
                .redis(this.redis)
                .s3(this.s3)
                .timeouts(this.timeouts)
                .near(this.near);
    }

    public CacheType type() {
        return this.type;
    }

    public Set<CallType> supportedCallTypes() {
        return this.supportedCallTypes;
    }

    public CacheMode mode() {
        return this.mode;
    }

    public @Nullable Duration ttl() {
        return this.ttl;
    }

    /**
     * How long entries are kept past their TTL, to answer when the provider fails (RFC 5861's
     * {@code stale-if-error}); null for not at all.
     */
    public @Nullable Duration staleIfError() {
        return this.staleIfError;
    }

    public @Nullable String namespace() {
        return this.namespace;
    }

    /**
     * The most of a streamed answer recorded to be stored, each chunk counted as the larger of its JSON and the heap
     * it holds: a longer stream is passed on whole but not stored.
     */
    public DataSize maxStreamSize() {
        return this.maxStreamSize;
    }

    /** The bounds of the local backend. */
    public LocalLimits local() {
        return this.local;
    }

    /** The connection and key prefix of the Redis backend. */
    public RedisConnection redis() {
        return this.redis;
    }

    /** The bucket, path and client of the S3 backend. */
    public S3Connection s3() {
        return this.s3;
    }

    /** The deadline of backend operations and the cooldown of a failing backend. */
    public Timeouts timeouts() {
        return this.timeouts;
    }

    /** The in-process tier in front of a remote backend. */
    public NearCacheSettings near() {
        return this.near;
    }

    public @Nullable String host() {
        return this.redis.host();
    }

    public int port() {
        return this.redis.port();
    }

    public @Nullable String password() {
        return this.redis.password();
    }

    public @Nullable String s3BucketName() {
        return this.s3.bucketName();
    }

    public @Nullable String s3RegionName() {
        return this.s3.regionName();
    }

    public @Nullable String s3ApiVersion() {
        return this.s3.apiVersion();
    }

    public @Nullable Boolean s3UseSsl() {
        return this.s3.useSsl();
    }

    public @Nullable String s3Verify() {
        return this.s3.verify();
    }

    public @Nullable String s3EndpointUrl() {
        return this.s3.endpointUrl();
    }

    public @Nullable String s3AwsAccessKeyId() {
        return this.s3.awsAccessKeyId();
    }

    public @Nullable String s3AwsSecretAccessKey() {
        return this.s3.awsSecretAccessKey();
    }

    public @Nullable String s3AwsSessionToken() {
        return this.s3.awsSessionToken();
    }

    public @Nullable String s3Path() {
        return this.s3.path();
    }

    /**
     * Whether {@code other} is served by the same backend: same type and same settings of that type's backend, and for
     * a remote backend the same timeouts (its guard's deadline and cool-down) and near tier. Settings of the other
     * backends do not matter, nor timeouts to the local cache, which no deadline guards: it keeps its entries.
     */
    boolean sameBackendAs(CacheSettings other) {
        return this.type == other.type
                && backendSettings().equals(other.backendSettings())
                && (this.type == CacheType.LOCAL
                        || (this.timeouts.equals(other.timeouts) && this.near.equals(other.near)));
    }

    private Record backendSettings() {
        return switch (this.type) {
            case LOCAL -> this.local;
            case REDIS -> this.redis;
            case S3 -> this.s3;
        };
    }

    /** {@code text} with every secret of these settings (Redis password, AWS credentials) masked. */
    public String redact(String text) {
        return Secrets.redact(
                text,
                Stream.concat(this.redis.secrets().stream(), this.s3.secrets().stream())
                        .toList());
    }

    /** The settings as property values, the secrets masked. */
    @Override
    public String toString() {
        List<String> callTypes =
                this.supportedCallTypes.stream().map(PropertyValues::of).toList();
        return "CacheSettings[type=" + PropertyValues.of(this.type) + ", supportedCallTypes=" + callTypes + ", mode="
                + PropertyValues.of(this.mode) + ", ttl=" + ((this.ttl != null) ? PropertyValues.of(this.ttl) : null)
                + ", staleIfError=" + ((this.staleIfError != null) ? PropertyValues.of(this.staleIfError) : null)
                + ", namespace=" + this.namespace + ", maxStreamSize=" + PropertyValues.of(this.maxStreamSize)
                + ", local=" + this.local + ", redis=" + this.redis + ", s3="
                + this.s3 + ", timeouts=" + this.timeouts + ", near=" + this.near + "]";
    }

    /**
     * Builds {@link CacheSettings}; every setting has the default of LiteLLM's {@code Cache()}. The records are
     * validated by {@link #build()}.
     */
    public static final class Builder {

        private CacheType type = CacheType.LOCAL;
        private Set<CallType> supportedCallTypes = EnumSet.allOf(CallType.class);
        private CacheMode mode = CacheMode.DEFAULT_ON;
        private @Nullable Duration ttl;
        private @Nullable Duration staleIfError;
        private @Nullable String namespace;
        private DataSize maxStreamSize = DEFAULT_MAX_STREAM_SIZE;
        private LocalLimits local = LocalLimits.DEFAULTS;
        private @Nullable String host;
        private int port = RedisConnection.DEFAULT_PORT;
        private @Nullable String password;
        private String keyPrefix = RedisConnection.DEFAULT_KEY_PREFIX;

        private boolean fleetSingleFlight = true;
        private @Nullable String s3BucketName;
        private @Nullable String s3RegionName;
        private @Nullable String s3ApiVersion;
        private @Nullable Boolean s3UseSsl;
        private @Nullable String s3Verify;
        private @Nullable String s3EndpointUrl;
        private @Nullable String s3AwsAccessKeyId;
        private @Nullable String s3AwsSecretAccessKey;
        private @Nullable String s3AwsSessionToken;
        private @Nullable String s3Path;
        private Timeouts timeouts = Timeouts.DEFAULTS;
        private NearCacheSettings near = NearCacheSettings.DEFAULTS;

        private Builder() {}

        /** Where entries are stored. */
        public Builder type(CacheType type) {
            this.type = Objects.requireNonNull(type, "type must not be null");
            return this;
        }

        /**
         * The call types that use the cache; others neither read nor write it.
         *
         * @throws CacheConfigurationException for none, which would leave an enabled cache that no call uses (turn it
         *     off with {@code litellm.cache.enabled=false} or {@link LlmCache#disable()} instead)
         */
        public Builder supportedCallTypes(Collection<CallType> supportedCallTypes) {
            if (supportedCallTypes.isEmpty()) {
                throw CacheConfigurationException.invalid(
                        "litellm.cache.supported-call-types",
                        "supportedCallTypes",
                        "",
                        "one or more of: " + PropertyValues.allOf(CallType.class) + "; to turn the cache off, set"
                                + " litellm.cache.enabled=false (or call LlmCache.disable()) instead");
            }
            this.supportedCallTypes = EnumSet.copyOf(supportedCallTypes);
            return this;
        }

        /** Whether calls use the cache unless they opt out, or only when they opt in. */
        public Builder mode(CacheMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode must not be null");
            return this;
        }

        /**
         * The TTL of entries; null means no expiry, zero that nothing is stored (as a request's
         * {@code CacheOptions.ttl}).
         *
         * @throws CacheConfigurationException for a negative TTL or one over ten years
         */
        public Builder ttl(@Nullable Duration ttl) {
            this.ttl = DurationSettings.zeroOrPositive(
                    ttl, "litellm.cache.ttl", "ttl", "10m (0 stores nothing), or leave it unset for no expiry");
            return this;
        }

        /**
         * How long entries are kept past their TTL, to answer when the provider fails with a server error,
         * a timeout or a connection failure; null for not at all.
         *
         * @throws CacheConfigurationException for a negative duration or one over ten years
         */
        public Builder staleIfError(@Nullable Duration staleIfError) {
            this.staleIfError = DurationSettings.zeroOrPositive(
                    staleIfError, "litellm.cache.stale-if-error", "staleIfError", "1h, or leave it unset to keep none");
            return this;
        }

        /**
         * The namespace of entries; null or blank means none.
         *
         * @throws CacheConfigurationException for a namespace holding {@code :}, {@code /}, a control character, U+FFFE or
         *     U+FFFF (which S3 lists in XML that cannot be parsed) or an unpaired surrogate, or too long
         */
        public Builder namespace(@Nullable String namespace) {
            if (namespace != null
                    && (CacheOptions.holdsForbiddenCharacter(namespace)
                            || namespace.length() > CacheOptions.MAX_NAMESPACE_LENGTH)) {
                throw CacheConfigurationException.invalid(
                        "litellm.cache.namespace",
                        "namespace",
                        namespace,
                        "a name of at most " + CacheOptions.MAX_NAMESPACE_LENGTH + " characters without ':', '/', a"
                                + " control character, U+FFFE, U+FFFF or an unpaired surrogate, such as team-a");
            }
            this.namespace = (namespace != null && !namespace.isBlank()) ? namespace : null;
            return this;
        }

        /**
         * The most of a streamed answer recorded to be stored, each chunk counted as the larger of its JSON and the
         * heap it holds; a longer stream is passed on whole to its caller but not stored, and the cache keeps no more
         * of its chunks than this.
         *
         * @throws CacheConfigurationException for a size that is not positive
         */
        public Builder maxStreamSize(DataSize maxStreamSize) {
            this.maxStreamSize =
                    SizeSettings.positive(maxStreamSize, "litellm.cache.max-stream-size", "maxStreamSize", "4MB");
            return this;
        }

        /** The bounds of the local backend. */
        public Builder local(LocalLimits local) {
            this.local = Objects.requireNonNull(local, "local must not be null");
            return this;
        }

        /** The connection and key prefix of the Redis backend; replaces {@link #host}, {@link #port}, ... */
        public Builder redis(RedisConnection redis) {
            this.host = redis.host();
            this.port = redis.port();
            this.password = redis.password();
            this.keyPrefix = redis.keyPrefix();
            this.fleetSingleFlight = redis.fleetSingleFlight();
            return this;
        }

        /** The bucket, path and client of the S3 backend; replaces {@link #s3BucketName}, ... */
        public Builder s3(S3Connection s3) {
            this.s3BucketName = s3.bucketName();
            this.s3Path = s3.path();
            this.s3RegionName = s3.regionName();
            this.s3EndpointUrl = s3.endpointUrl();
            this.s3UseSsl = s3.useSsl();
            this.s3Verify = s3.verify();
            this.s3AwsAccessKeyId = s3.awsAccessKeyId();
            this.s3AwsSecretAccessKey = s3.awsSecretAccessKey();
            this.s3AwsSessionToken = s3.awsSessionToken();
            this.s3ApiVersion = s3.apiVersion();
            return this;
        }

        /** The deadline of backend operations and the cooldown of a failing backend. */
        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts must not be null");
            return this;
        }

        /** The in-process tier in front of Redis or S3. */
        public Builder near(NearCacheSettings near) {
            this.near = Objects.requireNonNull(near, "near must not be null");
            return this;
        }

        /** The Redis host; null means the application's {@code RedisConnectionFactory}. */
        public Builder host(@Nullable String host) {
            this.host = host;
            return this;
        }

        /** The Redis port of the dedicated connection; null means 6379. */
        public Builder port(@Nullable Integer port) {
            this.port = (port != null) ? port : RedisConnection.DEFAULT_PORT;
            return this;
        }

        /** The Redis password. */
        public Builder password(@Nullable String password) {
            this.password = password;
            return this;
        }

        /** The S3 bucket; required for type S3. */
        public Builder s3BucketName(@Nullable String s3BucketName) {
            this.s3BucketName = s3BucketName;
            return this;
        }

        /** The S3 region. */
        public Builder s3RegionName(@Nullable String s3RegionName) {
            this.s3RegionName = s3RegionName;
            return this;
        }

        /** Accepted for parity with LiteLLM; the AWS SDK v2 has a single API version. */
        public Builder s3ApiVersion(@Nullable String s3ApiVersion) {
            this.s3ApiVersion = s3ApiVersion;
            return this;
        }

        /** Whether to reach S3 over HTTPS. */
        public Builder s3UseSsl(@Nullable Boolean s3UseSsl) {
            this.s3UseSsl = s3UseSsl;
            return this;
        }

        /** {@code true}, {@code false} (trust any certificate), or the path of a CA bundle. */
        public Builder s3Verify(@Nullable String s3Verify) {
            this.s3Verify = s3Verify;
            return this;
        }

        /** The S3 endpoint, for S3-compatible stores; implies path-style access. */
        public Builder s3EndpointUrl(@Nullable String s3EndpointUrl) {
            this.s3EndpointUrl = s3EndpointUrl;
            return this;
        }

        /** The AWS access key id. */
        public Builder s3AwsAccessKeyId(@Nullable String s3AwsAccessKeyId) {
            this.s3AwsAccessKeyId = s3AwsAccessKeyId;
            return this;
        }

        /** The AWS secret access key. */
        public Builder s3AwsSecretAccessKey(@Nullable String s3AwsSecretAccessKey) {
            this.s3AwsSecretAccessKey = s3AwsSecretAccessKey;
            return this;
        }

        /** The AWS session token. */
        public Builder s3AwsSessionToken(@Nullable String s3AwsSessionToken) {
            this.s3AwsSessionToken = s3AwsSessionToken;
            return this;
        }

        /** The folder of the entries inside the bucket; null or blank means {@value S3Connection#DEFAULT_PATH}. */
        public Builder s3Path(@Nullable String s3Path) {
            this.s3Path = s3Path;
            return this;
        }

        /**
         * The settings.
         *
         * @throws CacheConfigurationException for an invalid Redis connection, or type S3 without a bucket
         */
        public CacheSettings build() {
            return new CacheSettings(this);
        }
    }
}
