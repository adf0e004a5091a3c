package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.engine.GuardedBackend;
import io.github.litellmcache.testsupport.S3ProxyServer;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Credentials that S3 refuses for every request (a wrong secret, as when they are rotated or a session token expires
 * mid-run: SignatureDoesNotMatch, InvalidAccessKeyId, ExpiredToken) make the backend fail as a whole: unlike a refusal
 * of one request (a missing bucket's object, a write the credentials may not make), they open the circuit breaker,
 * so that calls stop paying a round trip to S3 for each miss, as a wrong Redis password does.
 */
class S3CredentialsRefusedTests {

    @RegisterExtension
    static final S3ProxyServerExtension server = S3ProxyServerExtension.withBucket("refused");

    @Test
    void aSecretRefusedOnEveryRequestOpensTheCircuitBreaker() {
        CacheSettings settings = S3ProxySettings.dedicatedClientOf(server)
                .s3AwsSecretAccessKey("not-" + S3ProxyServer.SECRET_KEY)
                .build();
        try (S3CacheBackend backend = S3CacheBackend.dedicated(settings.s3(), List.of())) {
            GuardedBackend guard = new GuardedBackend(backend, Duration.ofSeconds(5), Duration.ofMinutes(5), List.of());
            for (int i = 0; i < 5; i++) {
                assertThatExceptionOfType(S3Exception.class)
                        .isThrownBy(() -> guard.probe(Duration.ofSeconds(10)))
                        .satisfies(refused -> assertThat(refused.statusCode()).isEqualTo(403));
            }
            assertThat(guard.isAvailable()).isFalse();
        }
    }
}
