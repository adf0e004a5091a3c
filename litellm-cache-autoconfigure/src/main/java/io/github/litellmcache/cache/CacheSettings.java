package io.github.litellmcache.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The settings of the cache, mirroring the parameters of LiteLLM's {@code Cache(...)}; build them
 * with {@link #builder()} and apply them with {@link LlmCache#update(CacheSettings)}.
 */
public final class CacheSettings {

    private static final String MASK = "******";

    private final CacheType type;
    private final Set<CallType> supportedCallTypes;
    private final CacheMode mode;
    private final @Nullable Duration ttl;
    private final @Nullable String namespace;
    private final @Nullable String host;
    private final @Nullable Integer port;
    private final @Nullable String password;
    private final @Nullable String s3BucketName;
    private final @Nullable String s3RegionName;
    private final @Nullable String s3ApiVersion;
    private final @Nullable Boolean s3UseSsl;
    private final @Nullable String s3Verify;
    private final @Nullable String s3EndpointUrl;
    private final @Nullable String s3AwsAccessKeyId;
    private final @Nullable String s3AwsSecretAccessKey;
    private final @Nullable String s3AwsSessionToken;
    private final @Nullable String s3Path;

    private CacheSettings(Builder builder) {
        this.type = builder.type;
        this.supportedCallTypes = Collections.unmodifiableSet(EnumSet.copyOf(builder.supportedCallTypes));
        this.mode = builder.mode;
        this.ttl = builder.ttl;
        this.namespace = builder.namespace;
        this.host = builder.host;
        this.port = builder.port;
        this.password = builder.password;
        this.s3BucketName = builder.s3BucketName;
        this.s3RegionName = builder.s3RegionName;
        this.s3ApiVersion = builder.s3ApiVersion;
        this.s3UseSsl = builder.s3UseSsl;
        this.s3Verify = builder.s3Verify;
        this.s3EndpointUrl = builder.s3EndpointUrl;
        this.s3AwsAccessKeyId = builder.s3AwsAccessKeyId;
        this.s3AwsSecretAccessKey = builder.s3AwsSecretAccessKey;
        this.s3AwsSessionToken = builder.s3AwsSessionToken;
        this.s3Path = builder.s3Path;
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
                .namespace(this.namespace)
                .host(this.host)
                .port(this.port)
                .password(this.password)
                .s3BucketName(this.s3BucketName)
                .s3RegionName(this.s3RegionName)
                .s3ApiVersion(this.s3ApiVersion)
                .s3UseSsl(this.s3UseSsl)
                .s3Verify(this.s3Verify)
                .s3EndpointUrl(this.s3EndpointUrl)
                .s3AwsAccessKeyId(this.s3AwsAccessKeyId)
                .s3AwsSecretAccessKey(this.s3AwsSecretAccessKey)
                .s3AwsSessionToken(this.s3AwsSessionToken)
                .s3Path(this.s3Path);
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

    public @Nullable String namespace() {
        return this.namespace;
    }

    public @Nullable String host() {
        return this.host;
    }

    public @Nullable Integer port() {
        return this.port;
    }

    public @Nullable String password() {
        return this.password;
    }

    public @Nullable String s3BucketName() {
        return this.s3BucketName;
    }

    public @Nullable String s3RegionName() {
        return this.s3RegionName;
    }

    public @Nullable String s3ApiVersion() {
        return this.s3ApiVersion;
    }

    public @Nullable Boolean s3UseSsl() {
        return this.s3UseSsl;
    }

    public @Nullable String s3Verify() {
        return this.s3Verify;
    }

    public @Nullable String s3EndpointUrl() {
        return this.s3EndpointUrl;
    }

    public @Nullable String s3AwsAccessKeyId() {
        return this.s3AwsAccessKeyId;
    }

    public @Nullable String s3AwsSecretAccessKey() {
        return this.s3AwsSecretAccessKey;
    }

    public @Nullable String s3AwsSessionToken() {
        return this.s3AwsSessionToken;
    }

    public @Nullable String s3Path() {
        return this.s3Path;
    }

    /** Whether {@code other} is stored in the same place: same type, connection and location. */
    boolean sameBackendAs(CacheSettings other) {
        return this.type == other.type
                && Objects.equals(this.host, other.host)
                && Objects.equals(this.port, other.port)
                && Objects.equals(this.password, other.password)
                && Objects.equals(this.s3BucketName, other.s3BucketName)
                && Objects.equals(this.s3RegionName, other.s3RegionName)
                && Objects.equals(this.s3UseSsl, other.s3UseSsl)
                && Objects.equals(this.s3Verify, other.s3Verify)
                && Objects.equals(this.s3EndpointUrl, other.s3EndpointUrl)
                && Objects.equals(this.s3AwsAccessKeyId, other.s3AwsAccessKeyId)
                && Objects.equals(this.s3AwsSecretAccessKey, other.s3AwsSecretAccessKey)
                && Objects.equals(this.s3AwsSessionToken, other.s3AwsSessionToken)
                && Objects.equals(this.s3Path, other.s3Path);
    }

    /** The settings with the password, the secret access key and the session token masked. */
    @Override
    public String toString() {
        return "CacheSettings[type=" + this.type + ", supportedCallTypes=" + this.supportedCallTypes + ", mode="
                + this.mode + ", ttl=" + this.ttl + ", namespace=" + this.namespace + ", host=" + this.host
                + ", port=" + this.port + ", password=" + mask(this.password) + ", s3BucketName="
                + this.s3BucketName + ", s3RegionName=" + this.s3RegionName + ", s3EndpointUrl="
                + this.s3EndpointUrl + ", s3AwsAccessKeyId=" + this.s3AwsAccessKeyId + ", s3AwsSecretAccessKey="
                + mask(this.s3AwsSecretAccessKey) + ", s3AwsSessionToken=" + mask(this.s3AwsSessionToken)
                + ", s3Path=" + this.s3Path + "]";
    }

    private static @Nullable String mask(@Nullable String secret) {
        return (secret != null) ? MASK : null;
    }

    /** Builds {@link CacheSettings}; every setting has the default of LiteLLM's {@code Cache()}. */
    public static final class Builder {

        private CacheType type = CacheType.LOCAL;
        private Set<CallType> supportedCallTypes = EnumSet.allOf(CallType.class);
        private CacheMode mode = CacheMode.DEFAULT_ON;
        private @Nullable Duration ttl;
        private @Nullable String namespace;
        private @Nullable String host;
        private @Nullable Integer port;
        private @Nullable String password;
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

        private Builder() {}

        /** Where entries are stored. */
        public Builder type(CacheType type) {
            this.type = Objects.requireNonNull(type, "type must not be null");
            return this;
        }

        /** The call types that use the cache; others neither read nor write it. */
        public Builder supportedCallTypes(Collection<CallType> supportedCallTypes) {
            this.supportedCallTypes =
                    supportedCallTypes.isEmpty() ? EnumSet.noneOf(CallType.class) : EnumSet.copyOf(supportedCallTypes);
            return this;
        }

        /** Whether calls use the cache unless they opt out, or only when they opt in. */
        public Builder mode(CacheMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode must not be null");
            return this;
        }

        /** The TTL of entries; null means no expiry. */
        public Builder ttl(@Nullable Duration ttl) {
            CacheOptions.requireNotNegative(ttl, "ttl");
            this.ttl = ttl;
            return this;
        }

        /** The namespace of entries, without {@code :} or {@code /}; null means none. */
        public Builder namespace(@Nullable String namespace) {
            if (namespace != null && !namespace.isBlank()) {
                CacheOptions.requireValidNamespace(namespace);
                this.namespace = namespace;
            } else {
                this.namespace = null;
            }
            return this;
        }

        /** The Redis host; null means the application's {@code RedisConnectionFactory}. */
        public Builder host(@Nullable String host) {
            this.host = host;
            return this;
        }

        /** The Redis port. */
        public Builder port(@Nullable Integer port) {
            this.port = port;
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

        /** The key prefix of entries inside the bucket. */
        public Builder s3Path(@Nullable String s3Path) {
            this.s3Path = s3Path;
            return this;
        }

        /** The settings; throws {@link IllegalArgumentException} for type S3 without a bucket. */
        public CacheSettings build() {
            if (this.type == CacheType.S3 && (this.s3BucketName == null || this.s3BucketName.isBlank())) {
                throw new IllegalArgumentException(
                        "s3BucketName is required for type S3: set s3BucketName(\"my-bucket\")");
            }
            return new CacheSettings(this);
        }
    }
}
