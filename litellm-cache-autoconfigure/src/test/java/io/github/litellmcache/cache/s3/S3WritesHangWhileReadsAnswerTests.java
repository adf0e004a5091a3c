package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.S3ProxyServer;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
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

    private S3Proxy proxy;

    @BeforeEach
    void start() throws Exception {
        BlobStore store = new TransientNio2BlobStore();
        store.createContainer(BUCKET);
        this.proxy = S3Proxy.builder()
                .blobStore(new WritesHang(store, this.writesAnswer))
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
        this.writesAnswer.countDown();
        this.proxy.stop();
    }

    @Test
    void onlyTheFirstWriteThatHangsIsGivenTheWarmUpDeadline() {
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
                    service.completion(question("first miss, its write hangs"));

                    long start = System.nanoTime();
                    for (int i = 0; i < 4; i++) {
                        assertThat(service.completion(question("later miss " + i))
                                        .cacheHit())
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

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
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
