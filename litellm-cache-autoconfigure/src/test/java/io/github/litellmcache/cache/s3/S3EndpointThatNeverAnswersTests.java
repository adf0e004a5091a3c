package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.testsupport.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * An S3 endpoint that accepts connections and never answers: a request the cache gave up on is abandoned by the AWS
 * SDK within {@link S3CacheBackend#REQUEST_DEADLINE}, its connection closed and its worker thread freed, instead of
 * waiting for the HTTP client's read timeout once per retry (30 s each, three attempts), which kept every worker
 * busy long after an outage and the circuit breaker's probes queued behind them.
 */
class S3EndpointThatNeverAnswersTests {

    private final SilentServer server = new SilentServer();

    @AfterEach
    void stop() throws IOException {
        this.server.close();
    }

    @Test
    void aReadGivenUpOnIsAbandonedAndItsConnectionClosedWithinTheRequestDeadline() {
        CacheSettings settings = CacheSettings.builder()
                .type(CacheType.S3)
                .s3BucketName("silent")
                .s3EndpointUrl("http://127.0.0.1:" + this.server.port())
                .s3AwsAccessKeyId(S3ProxyServer.ACCESS_KEY)
                .s3AwsSecretAccessKey(S3ProxyServer.SECRET_KEY)
                .build();
        try (S3CacheBackend backend = S3CacheBackend.dedicated(settings.s3(), List.of())) {
            Disposable read = backend.getAsync(new CacheKey(null, "hung")).subscribe();
            await().atMost(Duration.ofSeconds(10)).until(() -> this.server.accepted.get() == 1);
            read.dispose();
            await().atMost(S3CacheBackend.REQUEST_DEADLINE.multipliedBy(2))
                    .until(() -> this.server.closedByClient.get() == this.server.accepted.get());
            assertThat(this.server.accepted.get())
                    .as("no retry after the deadline")
                    .isEqualTo(1);
        }
    }

    /** Accepts connections, reads what comes and never answers; counts the connections the client closed. */
    private static final class SilentServer implements AutoCloseable {

        private final ServerSocket socket;

        final AtomicInteger accepted = new AtomicInteger();

        final AtomicInteger closedByClient = new AtomicInteger();

        SilentServer() {
            try {
                this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
            daemon(this::accept);
        }

        private static void daemon(Runnable task) {
            Thread thread = new Thread(task, "silent-s3");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return this.socket.getLocalPort();
        }

        private void accept() {
            while (!this.socket.isClosed()) {
                try {
                    Socket connection = this.socket.accept();
                    this.accepted.incrementAndGet();
                    daemon(() -> drain(connection));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void drain(Socket connection) {
            try (connection;
                    InputStream in = connection.getInputStream()) {
                while (in.read() != -1) {
                    // never answered
                }
            } catch (IOException reset) {
                // closed by the client too
            }
            this.closedByClient.incrementAndGet();
        }

        @Override
        public void close() throws IOException {
            this.socket.close();
        }
    }
}
