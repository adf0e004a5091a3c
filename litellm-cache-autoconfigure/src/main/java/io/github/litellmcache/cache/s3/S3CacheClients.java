package io.github.litellmcache.cache.s3;

import io.github.litellmcache.cache.S3Connection;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.TrustManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * Builds the cache's dedicated S3 client from the client settings of {@link S3Connection} (LiteLLM's {@code s3_*}
 * parameters): a synchronous {@link S3Client} on the AWS SDK's HTTP client found on the classpath (Apache HttpClient 5,
 * which {@code spring-cloud-aws-starter-s3} brings), so that the cache needs nothing more than that starter; its
 * requests run on a bounded pool of threads ({@link BlockingS3Operations}).
 *
 * <ul>
 *   <li>{@code s3RegionName}: the region; without it, {@code us-east-1} for an endpoint URL, else the AWS SDK's
 *       region chain ({@code AWS_REGION}, profile, instance metadata).
 *   <li>{@code s3EndpointUrl}: an S3-compatible store, reached with path-style access.
 *   <li>{@code s3UseSsl}: {@code false} means plain HTTP, also when the endpoint URL says {@code https}; without an
 *       endpoint URL, {@code http://s3.<region>.<domain>}. {@code true} leaves the endpoint URL's scheme as it is.
 *   <li>{@code s3Verify}: {@code true} (the JVM's trusted CAs), {@code false} (any certificate, for this client only,
 *       with a warning) or the path of a PEM bundle of the CAs to trust, given to the HTTP client as the SDK's
 *       {@code TRUST_ALL_CERTIFICATES} and {@code TLS_TRUST_MANAGERS_PROVIDER} settings, which the Apache and
 *       URLConnection clients honour.
 *   <li>{@code s3AwsAccessKeyId}, {@code s3AwsSecretAccessKey}, {@code s3AwsSessionToken}: static credentials; without
 *       them, the AWS SDK's default credentials chain.
 * </ul>
 *
 * A request that S3 answers with an error is not sent again, as the SDK's retries would: the cache's deadline is
 * shorter than their back-off, a failed read is a miss that the provider answers, the circuit breaker backs off from a
 * failing store, and retrying a {@code 503 SlowDown} only adds to the load that S3 asks to shed. A request whose
 * connection failed ({@link #SENT_AGAIN_ON_A_NEW_CONNECTION}) is sent once more, at once: S3 closes keep-alive
 * connections left idle, which the HTTP client learns only when it sends the next request on one.
 *
 * Then every {@link S3CacheClientCustomizer} is applied. Blank values count as unset.
 */
public final class S3CacheClients {

    private static final Log logger = LogFactory.getLog(S3CacheClients.class);

    /** One more attempt, at once, for a request whose connection failed; none for an error S3 answered. */
    static final RetryStrategy SENT_AGAIN_ON_A_NEW_CONNECTION = DefaultRetryStrategy.standardStrategyBuilder()
            .maxAttempts(2)
            .retryOnRootCauseInstanceOf(IOException.class)
            .backoffStrategy(BackoffStrategy.retryImmediately())
            .circuitBreakerEnabled(false)
            .useClientDefaults(false)
            .build();

    private S3CacheClients() {}

    /** Whether the classpath has a synchronous HTTP client of the AWS SDK, which a dedicated client needs. */
    public static boolean hasHttpClient() {
        return ClasspathHttpClientBuilder.find(AttributeMap.empty()) != null;
    }

    /**
     * A new client for the client settings of {@code s3}, adjusted by {@code customizers}; the caller closes it.
     *
     * @throws IllegalArgumentException when a setting is invalid, naming it
     * @throws IllegalStateException when the classpath has no synchronous HTTP client ({@link #hasHttpClient()})
     */
    static S3Client create(S3Connection s3, List<S3CacheClientCustomizer> customizers) {
        Region region = region(s3);
        ClasspathHttpClientBuilder httpClient = ClasspathHttpClientBuilder.find(tls(s3.verify()));
        if (httpClient == null) {
            throw new IllegalStateException(
                    "The S3 cache's client needs a synchronous HTTP client of the AWS SDK, and the"
                            + " classpath has none: add io.awspring.cloud:spring-cloud-aws-starter-s3, which brings"
                            + " software.amazon.awssdk:apache5-client.");
        }
        S3ClientBuilder builder = S3Client.builder()
                .region(region)
                .httpClientBuilder(httpClient)
                .overrideConfiguration(override -> override.retryStrategy(SENT_AGAIN_ON_A_NEW_CONNECTION));
        URI endpoint = endpoint(s3, region);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (text(s3.endpointUrl()) != null) {
            builder.forcePathStyle(true);
        }
        AwsCredentials credentials = credentials(s3);
        if (credentials != null) {
            builder.credentialsProvider(StaticCredentialsProvider.create(credentials));
        }
        customizers.forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    private static Region region(S3Connection s3) {
        String name = text(s3.regionName());
        if (name != null) {
            return Region.of(name);
        }
        if (text(s3.endpointUrl()) != null) {
            return Region.US_EAST_1;
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException none) {
            throw new IllegalArgumentException(
                    "The S3 cache's client has no AWS region: set litellm.cache.s3.region-name"
                            + " (s3RegionName) or the AWS_REGION environment variable.");
        }
    }

    private static @Nullable URI endpoint(S3Connection s3, Region region) {
        boolean plainHttp = Boolean.FALSE.equals(s3.useSsl());
        String url = text(s3.endpointUrl());
        if (url == null) {
            return plainHttp ? URI.create("http://s3." + region.id() + "." + domain(region)) : null;
        }
        URI endpoint;
        try {
            endpoint = URI.create(url);
        } catch (IllegalArgumentException ex) {
            endpoint = null;
        }
        if (endpoint == null || endpoint.getScheme() == null || endpoint.getHost() == null) {
            throw new IllegalArgumentException("The value '" + url + "' of litellm.cache.s3.endpoint-url"
                    + " (s3EndpointUrl) is not an absolute URL such as http://localhost:9000.");
        }
        if (plainHttp && endpoint.getScheme().toLowerCase(Locale.ROOT).equals("https")) {
            return URI.create("http" + url.substring(endpoint.getScheme().length()));
        }
        return endpoint;
    }

    private static String domain(Region region) {
        RegionMetadata metadata = region.metadata();
        return (metadata != null) ? metadata.domain() : "amazonaws.com";
    }

    /** The HTTP client settings of {@code verify}; empty for the JVM's trusted CAs. */
    private static AttributeMap tls(@Nullable String verify) {
        String value = text(verify);
        if (value == null || value.equalsIgnoreCase("true")) {
            return AttributeMap.empty();
        }
        if (value.equalsIgnoreCase("false")) {
            logger.warn("litellm.cache.s3.verify is false: the S3 cache's client trusts any certificate, so its"
                    + " connection can be intercepted. Set it to the path of a CA bundle instead.");
            return AttributeMap.builder()
                    .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, true)
                    .build();
        }
        TrustManager[] trust = TlsTrust.caBundle(Path.of(value));
        return AttributeMap.builder()
                .put(SdkHttpConfigurationOption.TLS_TRUST_MANAGERS_PROVIDER, () -> trust)
                .build();
    }

    /** The credentials of {@code s3}, which has both keys or none ({@link S3Connection} refuses others); null for none. */
    private static @Nullable AwsCredentials credentials(S3Connection s3) {
        String accessKeyId = text(s3.awsAccessKeyId());
        String secretAccessKey = text(s3.awsSecretAccessKey());
        String sessionToken = text(s3.awsSessionToken());
        if (accessKeyId == null || secretAccessKey == null) {
            return null;
        }
        return (sessionToken != null)
                ? AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken)
                : AwsBasicCredentials.create(accessKeyId, secretAccessKey);
    }

    private static @Nullable String text(@Nullable String value) {
        return (value != null && !value.isBlank()) ? value.strip() : null;
    }
}
