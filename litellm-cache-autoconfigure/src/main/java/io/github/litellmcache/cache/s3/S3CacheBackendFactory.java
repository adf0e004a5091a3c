package io.github.litellmcache.cache.s3;

import io.github.litellmcache.cache.CacheConfigurationException;
import io.github.litellmcache.cache.S3Connection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Creates the S3 backend of an {@link S3Connection}: with a dedicated client when any client setting is set
 * ({@link S3Connection#isDedicated()}), adjusted by the customizers; otherwise on the application's {@link S3Client}
 * from Spring Cloud AWS, or its {@link S3AsyncClient} when it has no {@code S3Client}. What is missing fails with a
 * {@link CacheConfigurationException} naming the properties to set.
 */
public final class S3CacheBackendFactory {

    private static final Log logger = LogFactory.getLog(S3CacheBackendFactory.class);

    private final Supplier<@Nullable S3Client> applicationClient;

    private final Supplier<@Nullable S3AsyncClient> applicationAsyncClient;

    private final Supplier<List<S3CacheClientCustomizer>> customizers;

    /**
     * @param applicationClient the application's blocking client, if any
     * @param applicationAsyncClient the application's asynchronous client, if any
     * @param customizers what adjusts a dedicated client
     */
    public S3CacheBackendFactory(
            Supplier<@Nullable S3Client> applicationClient,
            Supplier<@Nullable S3AsyncClient> applicationAsyncClient,
            Supplier<List<S3CacheClientCustomizer>> customizers) {
        this.applicationClient = applicationClient;
        this.applicationAsyncClient = applicationAsyncClient;
        this.customizers = customizers;
    }

    /** A new backend for {@code s3}, whose bucket is set. */
    public S3CacheBackend create(S3Connection s3) {
        if (s3.apiVersion() != null) {
            logger.info("litellm.cache.s3.api-version (s3ApiVersion) is accepted for parity with LiteLLM and has no"
                    + " effect: the AWS SDK v2 has a single S3 API version.");
        }
        return s3.isDedicated() ? dedicated(s3) : application(s3);
    }

    private S3CacheBackend dedicated(S3Connection s3) {
        if (!S3CacheClients.hasHttpClient()) {
            throw new CacheConfigurationException(
                    "litellm.cache.s3.* asks for a dedicated S3 client, but the AWS SDK has no synchronous HTTP client"
                            + " on the classpath.",
                    "Add the dependency io.awspring.cloud:spring-cloud-aws-starter-s3, which brings"
                            + " software.amazon.awssdk:apache5-client, or leave the litellm.cache.s3 client settings"
                            + " unset to use the application's S3 client.");
        }
        try {
            return S3CacheBackend.dedicated(s3, this.customizers.get());
        } catch (CacheConfigurationException ex) {
            throw ex;
        } catch (IllegalArgumentException ex) {
            throw new CacheConfigurationException(
                    Objects.requireNonNullElse(ex.getMessage(), "An S3 client setting of the cache is invalid."),
                    "Correct that litellm.cache.s3.* property (or CacheSettings field).");
        }
    }

    private S3CacheBackend application(S3Connection s3) {
        String bucket = Objects.requireNonNull(s3.bucketName(), "s3BucketName is required");
        S3Client client = this.applicationClient.get();
        if (client != null) {
            return new S3CacheBackend(client, bucket, s3.path());
        }
        S3AsyncClient asyncClient = this.applicationAsyncClient.get();
        if (asyncClient != null) {
            return new S3CacheBackend(asyncClient, bucket, s3.path());
        }
        throw new CacheConfigurationException(
                "litellm.cache.type is s3 but there is no S3 client to use.",
                "Set litellm.cache.s3.region-name (and endpoint-url, aws-access-key-id, aws-secret-access-key as"
                        + " needed) for a dedicated client, or configure the application's S3 client with"
                        + " spring.cloud.aws.s3.* and spring.cloud.aws.region.static.");
    }
}
