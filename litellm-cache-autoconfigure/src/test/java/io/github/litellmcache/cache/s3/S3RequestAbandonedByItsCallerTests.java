package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.testsupport.FaultyTcpProxy;
import io.github.litellmcache.testsupport.S3ProxyServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.Disposable;

/**
 * A read whose caller gave up (the cache's deadline) while S3 hung ends quietly when S3 answers after all: the SDK's
 * failure of the interrupted request is not logged as an error with a stack trace, once per abandoned read.
 */
@ExtendWith(OutputCaptureExtension.class)
class S3RequestAbandonedByItsCallerTests {

    private static final String BUCKET = "abandoned";

    private static S3ProxyServer server;

    private static FaultyTcpProxy network;

    @BeforeAll
    static void startS3() {
        server = S3ProxyServer.launch();
        server.createBucket(BUCKET);
        network = FaultyTcpProxy.forwardingTo(server.endpoint().getPort());
    }

    @AfterAll
    static void stopS3() {
        network.close();
        server.close();
    }

    @Test
    void readsAbandonedWhileS3HungLogNoErrorWhenS3Answers(CapturedOutput output) throws Exception {
        CacheSettings settings = CacheSettings.builder()
                .type(CacheType.S3)
                .s3BucketName(BUCKET)
                .s3EndpointUrl("http://127.0.0.1:" + network.port())
                .s3AwsAccessKeyId(S3ProxyServer.ACCESS_KEY)
                .s3AwsSecretAccessKey(S3ProxyServer.SECRET_KEY)
                .build();
        S3CacheBackend backend = S3CacheBackend.dedicated(settings.s3(), List.of());
        try {
            assertThat(backend.getAsync(new CacheKey(null, "warm")).block(Duration.ofSeconds(10)))
                    .isNull();
            network.pause();
            for (int i = 0; i < 5; i++) {
                Disposable read =
                        backend.getAsync(new CacheKey(null, "hung-" + i)).subscribe();
                Thread.sleep(100);
                read.dispose();
            }
            network.restore();
            Thread.sleep(2_000);
            assertThat(backend.getAsync(new CacheKey(null, "after")).block(Duration.ofSeconds(10)))
                    .isNull();
        } finally {
            backend.close();
        }
        assertThat(output).doesNotContain("onErrorDropped").doesNotContain("AbortedException");
    }
}
