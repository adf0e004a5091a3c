package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Against a real s3proxy whose writes hang while its reads answer, from the application's start, so that no write has
 * ever succeeded: the warm-up's long write deadline is paid by the first write only, not by every miss. Reads keep
 * succeeding, so the circuit breaker never opens and cannot bound the cost.
 */
class S3WritesHangWhileReadsAnswerTests extends AbstractCachedApplicationTests {

    private static final String BUCKET = "writes-hang";

    /** A generous bound for four misses whose writes each wait 250 ms, far below four warm-up deadlines (20 s). */
    private static final Duration FOUR_MISSES = Duration.ofSeconds(10);

    private final CountDownLatch writesAnswer = new CountDownLatch(1);

    private MisbehavingS3Proxy proxy;

    @BeforeEach
    void start() throws Exception {
        this.proxy = MisbehavingS3Proxy.start(BUCKET, store -> new WritesHang(store, this.writesAnswer));
    }

    @AfterEach
    void stop() throws Exception {
        this.writesAnswer.countDown();
        this.proxy.close();
    }

    @Test
    void onlyTheFirstWriteThatHangsIsGivenTheWarmUpDeadline() {
        applicationRunner().withPropertyValues(this.proxy.cacheProperties()).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            context.getBean(BackendGuards.class)
                    .guard(context.getBean(LlmCache.class).backend())
                    .probe(Duration.ofSeconds(10));
            service.completion(question("first miss, its write hangs"));

            long start = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                assertThat(service.completion(question("later miss " + i)).cacheHit())
                        .isFalse();
            }

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FOUR_MISSES);
            assertThat(context.getBean(BackendGuards.class)
                            .guard(context.getBean(LlmCache.class).backend())
                            .isAvailable())
                    .as("reads answer, so the breaker stays closed")
                    .isTrue();
        });
    }

    /** A store whose writes wait until {@code answer} opens (or a minute has passed). */
    private static final class WritesHang extends ForwardingBlobStore {

        private final CountDownLatch answer;

        WritesHang(BlobStore delegate, CountDownLatch answer) {
            super(delegate);
            this.answer = answer;
        }

        @Override
        public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
            try {
                this.answer.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return super.putBlob(request, content);
        }
    }
}
