package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.actuate.MicrometerCacheMetrics;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Against a real s3proxy: a write in flight when the application shuts down, which the closing of the backend's own
 * client fails, is the shutdown, not an outage: it is neither warned about nor counted in
 * {@value MicrometerCacheMetrics#ERRORS}.
 */
@ExtendWith(OutputCaptureExtension.class)
class S3ShutdownIsNoBackendFailureTests extends AbstractCachedApplicationTests {

    private static final String BUCKET = "shutdown";

    private final CountDownLatch writing = new CountDownLatch(1);

    private final CountDownLatch writesAnswer = new CountDownLatch(1);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private MisbehavingS3Proxy proxy;

    @BeforeEach
    void start() throws Exception {
        this.proxy = MisbehavingS3Proxy.start(BUCKET, store -> new WritesHeld(store, this.writing, this.writesAnswer));
    }

    @AfterEach
    void stop() throws Exception {
        this.writesAnswer.countDown();
        this.proxy.close();
    }

    @Test
    void aWriteInFlightWhenTheBackendClosesIsNeitherWarnedAboutNorCounted(CapturedOutput output) {
        applicationRunner()
                .withPropertyValues(this.proxy.cacheProperties())
                .withBean(MicrometerCacheMetrics.class, this::metrics)
                .run(context -> {
                    context.getBean(BackendGuards.class)
                            .guard(context.getBean(LlmCache.class).backend())
                            .probe(Duration.ofSeconds(10));
                    CompletableFuture<ChatCompletion> call = context.getBean(CompletionService.class)
                            .acompletion(question("written as the application stops"))
                            .toFuture();
                    assertThat(this.writing.await(10, TimeUnit.SECONDS)).isTrue();
                    int logged = output.getAll().length();

                    context.close();

                    assertThat(call.get(10, TimeUnit.SECONDS).cacheHit()).isFalse();
                    assertThat(output.getAll().substring(logged)).doesNotContain("WARN", "ERROR");
                    assertThat(this.registry.find(MicrometerCacheMetrics.ERRORS).counters().stream()
                                    .mapToDouble(Counter::count)
                                    .sum())
                            .isZero();
                });
    }

    private MicrometerCacheMetrics metrics() {
        MicrometerCacheMetrics metrics = new MicrometerCacheMetrics();
        metrics.bindTo(this.registry);
        return metrics;
    }

    /** A store whose writes say they have started, then wait until {@code answer} opens (or a minute has passed). */
    private static final class WritesHeld extends ForwardingBlobStore {

        private final CountDownLatch started;

        private final CountDownLatch answer;

        WritesHeld(BlobStore delegate, CountDownLatch started, CountDownLatch answer) {
            super(delegate);
            this.started = started;
            this.answer = answer;
        }

        @Override
        public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
            this.started.countDown();
            try {
                this.answer.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return super.putBlob(request, content);
        }
    }
}
