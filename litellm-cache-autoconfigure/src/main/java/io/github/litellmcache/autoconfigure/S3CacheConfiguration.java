package io.github.litellmcache.autoconfigure;

import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.cache.near.NearCacheBackend;
import io.github.litellmcache.cache.s3.S3CacheBackendFactory;
import io.github.litellmcache.cache.s3.S3CacheClientCustomizer;
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

    /**
     * A dedicated client when any client setting is set, adjusted by every {@link S3CacheClientCustomizer} bean;
     * otherwise the application's {@link S3Client} from Spring Cloud AWS, or its {@link S3AsyncClient}; with a near tier
     * when {@code litellm.cache.near.enabled}.
     */
    @Bean
    CacheBackendRegistration liteLlmS3CacheBackend(
            ObjectProvider<S3Client> applicationClient,
            ObjectProvider<S3AsyncClient> applicationAsyncClient,
            ObjectProvider<S3CacheClientCustomizer> customizers) {
        S3CacheBackendFactory s3 = new S3CacheBackendFactory(
                applicationClient::getIfAvailable,
                applicationAsyncClient::getIfAvailable,
                () -> customizers.orderedStream().toList());
        return new CacheBackendRegistration(
                CacheType.S3, settings -> NearCacheBackend.bounded(s3.create(settings.s3()), settings.near()));
    }
}
