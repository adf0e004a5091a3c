package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.testsupport.FaultyTcpProxy;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.Disposable;

/**
 * A read whose caller gave up (the cache's deadline) while S3 hung ends quietly when S3 answers after all: the SDK's
 * failure of the interrupted request is not logged as an error with a stack trace, once per abandoned read.
 */
@ExtendWith(OutputCaptureExtension.class)
class S3RequestAbandonedByItsCallerTests {

    @RegisterExtension
    static final S3ProxyServerExtension server =
            S3ProxyServerExtension.withBucket("abandoned").behindFaultyNetwork();

    @Test
    void readsAbandonedWhileS3HungLogNoErrorWhenS3Answers(CapturedOutput output) throws Exception {
        CacheSettings settings = S3ProxySettings.dedicatedClientOf(server).build();
        FaultyTcpProxy network = server.network();
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
