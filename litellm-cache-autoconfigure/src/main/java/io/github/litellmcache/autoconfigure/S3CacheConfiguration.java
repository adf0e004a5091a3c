package io.github.litellmcache.autoconfigure;

import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.cache.s3.S3CacheBackend;
import io.github.litellmcache.cache.s3.S3CacheClientCustomizer;
import io.github.litellmcache.cache.s3.S3CacheClients;
import java.util.Objects;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Makes {@code litellm.cache.type: s3} available when the AWS SDK's S3 client is on the classpath (through
 * {@code spring-cloud-aws-starter-s3}), needing nothing else from it: the dedicated client runs on the SDK's synchronous
 * HTTP client that the starter brings.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({S3Client.class, S3AsyncClient.class})
class S3CacheConfiguration {

    private static final Log logger = LogFactory.getLog(S3CacheConfiguration.class);

    /**
     * A dedicated client when any client setting of {@code litellm.cache.s3.*} (or of the settings) is set, adjusted by
     * every {@link S3CacheClientCustomizer} bean; otherwise the application's {@link S3Client} from Spring Cloud AWS
     * ({@code spring.cloud.aws.*}), or its {@link S3AsyncClient} when it has no {@code S3Client}.
     */
    @Bean
    CacheBackendRegistration liteLlmS3CacheBackend(
            ObjectProvider<S3Client> applicationClient,
            ObjectProvider<S3AsyncClient> applicationAsyncClient,
            ObjectProvider<S3CacheClientCustomizer> customizers) {
        return new CacheBackendRegistration(CacheType.S3, settings -> {
            if (settings.s3ApiVersion() != null) {
                logger.info("litellm.cache.s3.api-version (s3ApiVersion) is accepted for parity with LiteLLM and has no"
                        + " effect: the AWS SDK v2 has a single S3 API version.");
            }
            S3CacheBackend backend = S3CacheClients.isDedicated(settings)
                    ? dedicated(settings, customizers)
                    : application(settings, applicationClient, applicationAsyncClient);
            return backend;
        });
    }

    private static S3CacheBackend dedicated(
            CacheSettings settings, ObjectProvider<S3CacheClientCustomizer> customizers) {
        if (!S3CacheClients.hasHttpClient()) {
            throw new CacheConfigurationException(
                    "litellm.cache.s3.* asks for a dedicated S3 client, but the AWS SDK has no synchronous HTTP client"
                            + " on the classpath.",
                    "Add the dependency io.awspring.cloud:spring-cloud-aws-starter-s3, which brings"
                            + " software.amazon.awssdk:apache5-client, or leave the litellm.cache.s3 client settings"
                            + " unset to use the application's S3 client.");
        }
        try {
            return S3CacheBackend.dedicated(
                    settings, customizers.orderedStream().toList());
        } catch (IllegalArgumentException ex) {
            throw new CacheConfigurationException(
                    Objects.requireNonNullElse(ex.getMessage(), "An S3 client setting of the cache is invalid."),
                    "Correct that litellm.cache.s3.* property (or CacheSettings field).");
        }
    }

    private static S3CacheBackend application(
            CacheSettings settings,
            ObjectProvider<S3Client> applicationClient,
            ObjectProvider<S3AsyncClient> applicationAsyncClient) {
        String bucket = Objects.requireNonNull(settings.s3BucketName(), "s3BucketName is required");
        S3Client client = applicationClient.getIfAvailable();
        if (client != null) {
            return new S3CacheBackend(client, bucket, settings.s3Path());
        }
        S3AsyncClient asyncClient = applicationAsyncClient.getIfAvailable();
        if (asyncClient != null) {
            return new S3CacheBackend(asyncClient, bucket, settings.s3Path());
        }
        throw new CacheConfigurationException(
                "litellm.cache.type is s3 but there is no S3 client to use.",
                "Set litellm.cache.s3.region-name (and endpoint-url, aws-access-key-id, aws-secret-access-key as"
                        + " needed) for a dedicated client, or configure the application's S3 client with"
                        + " spring.cloud.aws.s3.* and spring.cloud.aws.region.static.");
    }
}
