package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Against a real s3proxy that answers a read which finds an object slower than {@code litellm.cache.timeout}, as the
 * first such read of a cold JVM can be (the warm-up's probe finds nothing, so it does not warm that path): the first
 * read that finds an entry is given the warm-up's deadline, so that the second identical call after startup is a hit;
 * later reads have the timeout again.
 */
class S3FoundReadsSlowerThanTheTimeoutTests extends AbstractCachedApplicationTests {

    private static final String BUCKET = "found-reads-slow";

    /** Longer than the timeout (250 ms), far shorter than the warm-up's deadline (5 s). */
    private static final Duration FOUND_READ = Duration.ofMillis(800);

    private MisbehavingS3Proxy proxy;

    @BeforeEach
    void start() throws Exception {
        this.proxy = MisbehavingS3Proxy.start(BUCKET, FoundReadsSlow::new);
    }

    @AfterEach
    void stop() throws Exception {
        this.proxy.close();
    }

    @Test
    void theFirstReadThatFindsAnEntryIsGivenTheWarmUpDeadlineAndLaterReadsTheTimeout() {
        applicationRunner().withPropertyValues(this.proxy.cacheProperties()).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            context.getBean(BackendGuards.class)
                    .guard(context.getBean(LlmCache.class).backend())
                    .probe(Duration.ofSeconds(10));

            assertThat(service.completion(question("asked twice")).cacheHit()).isFalse();
            assertThat(service.completion(question("asked twice")).cacheHit())
                    .as("the first read that finds an entry")
                    .isTrue();
            assertThat(service.completion(question("asked twice")).cacheHit())
                    .as("a later read, past the timeout")
                    .isFalse();
        });
    }

    /** A store that answers a read which finds an object after {@link #FOUND_READ}. */
    private static final class FoundReadsSlow extends ForwardingBlobStore {

        FoundReadsSlow(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
            ResponseInputStream<GetObjectResponse> found = super.getBlob(request);
            if (found != null) {
                try {
                    Thread.sleep(FOUND_READ.toMillis());
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            return found;
        }
    }
}
