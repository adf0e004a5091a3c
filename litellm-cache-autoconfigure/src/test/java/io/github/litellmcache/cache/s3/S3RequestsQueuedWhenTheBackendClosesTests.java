package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheBackendClosedException;
import io.github.litellmcache.cache.CacheKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Against a real s3proxy whose reads hang: a {@code clear()} queued for one of the backend's worker threads, all busy,
 * ends with the closing when the backend closes (as the application stops, or {@code LlmCache.update} replaces it),
 * rather than waiting for good for threads that are gone, holding the clear's lock against every later clear.
 */
class S3RequestsQueuedWhenTheBackendClosesTests {

    private static final String BUCKET = "closing";

    /** As many reads as the backend has worker threads. */
    private static final int WORKERS = 32;

    @Test
    void aClearQueuedBehindHangingReadsEndsWhenTheBackendCloses() throws Exception {
        AtomicInteger reading = new AtomicInteger();
        CountDownLatch answer = new CountDownLatch(1);
        try (MisbehavingS3Proxy proxy =
                MisbehavingS3Proxy.start(BUCKET, store -> new ReadsHeld(store, reading, answer))) {
            try {
                assertAClearQueuedBehindHeldReadsEndsWhenTheBackendCloses(proxy, reading);
            } finally {
                answer.countDown();
            }
        }
    }

    private static void assertAClearQueuedBehindHeldReadsEndsWhenTheBackendCloses(
            MisbehavingS3Proxy proxy, AtomicInteger reading) throws InterruptedException {
        S3CacheBackend backend = S3CacheBackend.dedicated(proxy.dedicatedClient(), List.of());
        for (int i = 0; i < WORKERS; i++) {
            backend.getAsync(new CacheKey(null, "held-" + i)).subscribe(null, error -> {});
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (reading.get() < WORKERS && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(reading).as("reads the store holds").hasValue(WORKERS);
        CompletableFuture<Void> clear = CompletableFuture.runAsync(backend::clear);
        assertThat(clear).as("a clear behind busy threads").isNotDone();

        backend.close();

        assertThat(clear)
                .failsWithin(Duration.ofSeconds(2))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(CacheBackendClosedException.class);
    }

    /** A store whose reads say they have started, then wait until {@code answer} opens (or a minute has passed). */
    private static final class ReadsHeld extends ForwardingBlobStore {

        private final AtomicInteger reading;

        private final CountDownLatch answer;

        ReadsHeld(BlobStore delegate, AtomicInteger reading, CountDownLatch answer) {
            super(delegate);
            this.reading = reading;
            this.answer = answer;
        }

        @Override
        public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
            this.reading.incrementAndGet();
            try {
                this.answer.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return super.getBlob(request);
        }
    }
}
