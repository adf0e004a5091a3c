package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.S3ProxyServer;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
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

    private S3Proxy proxy;

    @BeforeEach
    void start() throws Exception {
        BlobStore store = new TransientNio2BlobStore();
        store.createContainer(BUCKET);
        this.proxy = S3Proxy.builder()
                .blobStore(new FoundReadsSlow(store))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:" + freePort()))
                .build();
        this.proxy.start();
        while (!"STARTED".equals(this.proxy.getState())) {
            Thread.sleep(10);
        }
    }

    @AfterEach
    void stop() throws Exception {
        this.proxy.stop();
    }

    @Test
    void theFirstReadThatFindsAnEntryIsGivenTheWarmUpDeadlineAndLaterReadsTheTimeout() {
        applicationRunner()
                .withPropertyValues(
                        "litellm.cache.type=s3",
                        "litellm.cache.s3.bucket-name=" + BUCKET,
                        "litellm.cache.s3.endpoint-url=http://127.0.0.1:" + this.proxy.getPort(),
                        "litellm.cache.s3.aws-access-key-id=" + S3ProxyServer.ACCESS_KEY,
                        "litellm.cache.s3.aws-secret-access-key=" + S3ProxyServer.SECRET_KEY,
                        "litellm.cache.timeout=250ms",
                        "litellm.cache.cooldown=60s")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    context.getBean(BackendGuards.class)
                            .guard(context.getBean(LlmCache.class).backend())
                            .probe(Duration.ofSeconds(10));

                    assertThat(service.completion(question("asked twice")).cacheHit())
                            .isFalse();
                    assertThat(service.completion(question("asked twice")).cacheHit())
                            .as("the first read that finds an entry")
                            .isTrue();
                    assertThat(service.completion(question("asked twice")).cacheHit())
                            .as("a later read, past the timeout")
                            .isFalse();
                });
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
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
