package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.litellmcache.cache.CacheEntries;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Credentials without {@code s3:ListBucket}: AWS answers a GET of a missing object with 403 AccessDenied. Such a read
 * is a miss, warned about once, and never a backend failure; the store here is a small S3-protocol HTTP server that
 * answers every GET that way and accepts every PUT (or, for credentials that may not write, refuses it), since s3proxy
 * has no bucket policies.
 */
@ExtendWith(OutputCaptureExtension.class)
class S3ReadWithoutListBucketTests extends AbstractCachedApplicationTests {

    private static final String BUCKET = "no-list-bucket";

    private static final String ACCESS_DENIED = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>R1</RequestId></Error>""";

    private final AtomicInteger gets = new AtomicInteger();

    private final AtomicInteger puts = new AtomicInteger();

    private HttpServer store;

    private volatile boolean writesRefused;

    @BeforeEach
    void startStore() throws IOException {
        this.store = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.store.createContext("/", this::answer);
        this.store.start();
    }

    @AfterEach
    void stopStore() {
        this.store.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream body = exchange.getRequestBody()) {
            byte[] received = body.readAllBytes();
            if ("GET".equals(exchange.getRequestMethod())) {
                this.gets.incrementAndGet();
                denyAccess(exchange);
            } else if ("PUT".equals(exchange.getRequestMethod()) && this.writesRefused) {
                this.puts.incrementAndGet();
                denyAccess(exchange);
            } else if ("PUT".equals(exchange.getRequestMethod())) {
                this.puts.incrementAndGet();
                exchange.getResponseHeaders().add("ETag", "\"" + md5(received) + "\"");
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.sendResponseHeaders(405, -1);
            }
        }
    }

    private static void denyAccess(HttpExchange exchange) throws IOException {
        byte[] error = ACCESS_DENIED.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/xml");
        exchange.sendResponseHeaders(403, error.length);
        exchange.getResponseBody().write(error);
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private String endpoint() {
        return "http://127.0.0.1:" + this.store.getAddress().getPort();
    }

    private static S3CacheBackend backend(String endpoint, String secret) {
        CacheSettings settings = CacheSettings.builder()
                .type(CacheType.S3)
                .s3BucketName(BUCKET)
                .s3EndpointUrl(endpoint)
                .s3RegionName("us-east-1")
                .s3AwsAccessKeyId(S3ProxyServer.ACCESS_KEY)
                .s3AwsSecretAccessKey(secret)
                .build();
        return S3CacheBackend.dedicated(settings.s3(), List.of());
    }

    @Test
    void aReadRefusedWithAccessDeniedIsAMissWarnedOnceNamingTheListBucketPermission(CapturedOutput output) {
        try (S3CacheBackend backend = backend(endpoint(), S3ProxyServer.SECRET_KEY)) {
            for (int i = 0; i < 3; i++) {
                assertThat(backend.get(new CacheKey(null, "missing-" + i))).isNull();
            }
        }
        assertThat(this.gets.get()).isEqualTo(3);
        assertThat(output.getOut().lines().filter(line -> line.contains("AccessDenied")))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains("WARN", "s3:ListBucket", "'" + BUCKET + "'", "miss")
                        .doesNotContain("missing-", S3ProxyServer.SECRET_KEY));
    }

    @Test
    void readsRefusedWithAccessDeniedNeverOpenTheBreakerSoEveryCallStillReadsAndWrites() {
        int calls = 12;
        applicationRunner()
                .withPropertyValues(
                        "litellm.cache.type=s3",
                        "litellm.cache.timeout=2s",
                        "litellm.cache.s3.bucket-name=" + BUCKET,
                        "litellm.cache.s3.endpoint-url=" + endpoint(),
                        "litellm.cache.s3.region-name=us-east-1",
                        "litellm.cache.s3.aws-access-key-id=" + S3ProxyServer.ACCESS_KEY,
                        "litellm.cache.s3.aws-secret-access-key=" + S3ProxyServer.SECRET_KEY)
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    int readsBefore = this.gets.get();
                    for (int i = 0; i < calls; i++) {
                        ChatCompletion answer = service.completion(question("question " + i));
                        assertThat(answer.cacheHit()).isFalse();
                    }
                    assertThat(this.provider.requestCount()).isEqualTo(calls);
                    assertThat(this.gets.get() - readsBefore)
                            .as("reads that reached S3")
                            .isGreaterThanOrEqualTo(calls);
                    assertThat(this.puts.get()).as("writes that reached S3").isGreaterThanOrEqualTo(calls);
                });
    }

    @Test
    void writesRefusedWhileReadsAnswerAreReportedOnceNotAfterEveryRead(CapturedOutput output) {
        this.writesRefused = true;
        try (S3CacheBackend backend = backend(endpoint(), S3ProxyServer.SECRET_KEY)) {
            for (int i = 0; i < 3; i++) {
                CacheKey key = new CacheKey(null, "question-" + i);
                assertThat(backend.get(key)).isNull();
                assertThatExceptionOfType(S3Exception.class)
                        .isThrownBy(() -> backend.put(key, CacheEntries.answering("answer"), null));
            }
        }
        assertThat(this.puts.get()).isEqualTo(3);
        assertThat(output.getOut().lines().filter(line -> line.contains("ERROR")))
                .singleElement()
                .satisfies(line -> assertThat(line).contains("AccessDenied", "'" + BUCKET + "'"));
    }

    @Test
    void aReadRefusedForAWrongSignatureStaysABackendFailure() {
        try (S3ProxyServer s3proxy = S3ProxyServer.launch();
                S3CacheBackend backend = backend(s3proxy.endpoint().toString(), "wrong-secret")) {
            s3proxy.createBucket(BUCKET);
            assertThatExceptionOfType(S3Exception.class)
                    .isThrownBy(() -> backend.get(new CacheKey(null, "k")))
                    .satisfies(error -> assertThat(error.statusCode()).isEqualTo(403));
        }
    }
}
