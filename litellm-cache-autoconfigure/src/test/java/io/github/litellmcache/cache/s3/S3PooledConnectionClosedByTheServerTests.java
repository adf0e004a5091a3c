package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.testsupport.S3ProxyServer;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S3 closes a keep-alive connection that stayed idle, and the HTTP client learns it only when it next sends a request
 * on it: the cache's client sends that request once more on a new connection, so the read is a hit, not a failure.
 */
class S3PooledConnectionClosedByTheServerTests {

    @RegisterExtension
    static final S3ProxyServerExtension s3 =
            S3ProxyServerExtension.withBucket("pooled").behindFaultyNetwork();

    @Test
    void aReadOnAConnectionTheServerClosedWhileIdleIsSentAgainOnANewOne() {
        CacheSettings settings = CacheSettings.builder()
                .type(CacheType.S3)
                .s3BucketName(s3.bucket())
                .s3EndpointUrl(s3.clientEndpoint().toString())
                .s3AwsAccessKeyId(S3ProxyServer.ACCESS_KEY)
                .s3AwsSecretAccessKey(S3ProxyServer.SECRET_KEY)
                .build();
        CacheKey key = new CacheKey(null, "k");
        ChatCompletion completion = new ChatCompletion(
                "id", 1L, "m", List.of(new ChatCompletion.Choice(0, ChatMessage.assistant("a"), "stop")), null, null);
        try (S3CacheBackend backend = S3CacheBackend.dedicated(settings.s3(), List.of())) {
            backend.put(key, new CacheEntry(completion, Instant.now()), null);
            assertThat(backend.get(key)).isNotNull();

            s3.network().dropConnections();

            assertThat(backend.get(key)).isNotNull();
        }
    }
}
