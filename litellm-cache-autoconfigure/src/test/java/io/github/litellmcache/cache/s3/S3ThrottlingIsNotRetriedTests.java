package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.cache.engine.GuardedBackend;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Against a real s3proxy that answers every read {@code 503 SlowDown}, as S3 does when a prefix gets more requests
 * than it serves: the cache's own client sends each read once. A miss is a correct answer, and the circuit breaker
 * backs off; the AWS SDK's retries would only add to the load S3 asks to shed, and spend the call's deadline.
 */
class S3ThrottlingIsNotRetriedTests extends AbstractCachedApplicationTests {

    private static final String BUCKET = "throttled";

    private SlowDown store;

    private MisbehavingS3Proxy proxy;

    @BeforeEach
    void start() throws Exception {
        this.proxy = MisbehavingS3Proxy.start(BUCKET, store -> {
            this.store = new SlowDown(store);
            return this.store;
        });
    }

    @AfterEach
    void stop() throws Exception {
        this.proxy.close();
    }

    @Test
    void aReadThatS3ThrottlesIsSentOnce() {
        applicationRunner()
                .withPropertyValues(this.proxy.cacheProperties())
                .withPropertyValues("litellm.cache.timeout=5s")
                .run(context -> {
                    CacheBackend backend = context.getBean(LlmCache.class).backend();
                    GuardedBackend guarded =
                            context.getBean(BackendGuards.class).guard(backend);
                    await().atMost(Duration.ofSeconds(30)).until(() -> !guarded.isWarmingUp());
                    this.store.reads.set(0);

                    assertThatExceptionOfType(S3Exception.class)
                            .isThrownBy(() ->
                                    backend.getAsync(new CacheKey(null, "k")).block())
                            .satisfies(throttled ->
                                    assertThat(throttled.statusCode()).isEqualTo(503));
                    assertThat(this.store.reads).hasValue(1);
                });
    }

    /** A store that refuses every read as S3 refuses a request rate it does not serve. */
    private static final class SlowDown extends ForwardingBlobStore {

        final AtomicInteger reads = new AtomicInteger();

        SlowDown(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
            this.reads.incrementAndGet();
            throw (S3Exception) S3Exception.builder()
                    .statusCode(503)
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("SlowDown")
                            .errorMessage("Please reduce your request rate.")
                            .build())
                    .build();
        }
    }
}
