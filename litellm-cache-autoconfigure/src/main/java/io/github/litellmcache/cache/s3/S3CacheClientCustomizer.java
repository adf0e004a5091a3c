package io.github.litellmcache.cache.s3;

import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Adjusts the builder of the cache's dedicated S3 client, the counterpart of LiteLLM's {@code s3_config}: declare one as
 * a bean to add an {@code ExecutionInterceptor}, change retries, timeouts or the HTTP client. The client is the AWS
 * SDK's synchronous {@code S3Client} on the HTTP client found on the classpath (Apache HttpClient 5 with
 * {@code spring-cloud-aws-starter-s3}); an HTTP client set here replaces it, and with it the TLS trust of
 * {@code litellm.cache.s3.verify}. Every such bean is applied, in order, after the {@code litellm.cache.s3.*} settings,
 * so it can override them. The application's own {@code S3Client}, used when no client setting is given, is adjusted
 * with Spring Cloud AWS's {@code S3ClientCustomizer} instead. To add to the override configuration rather than replace it, start from the builder's:
 * {@code builder.overrideConfiguration(builder.overrideConfiguration().toBuilder().addExecutionInterceptor(i).build())}.
 */
@FunctionalInterface
public interface S3CacheClientCustomizer {

    /** Adjusts {@code builder} before the client is built. */
    void customize(S3ClientBuilder builder);
}
