package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Against a real s3proxy: the cache's bucket deleted while the application runs, then created again. Every call
 * meanwhile is answered by the provider, the log names the bucket's problem a bounded number of times and shows no
 * stack trace, and the cache serves hits again once the bucket is back, without a restart.
 */
@ExtendWith(OutputCaptureExtension.class)
class S3BucketDeletedAndRecreatedTests extends AbstractCachedApplicationTests {

    private static final String BUCKET = "comes-and-goes";

    @RegisterExtension
    static final S3ProxyServerExtension server = S3ProxyServerExtension.withBucket(BUCKET);

    @Test
    void callsGoOnWithBoundedLogsWhileTheBucketIsGoneAndHitAgainOnceItIsBack(CapturedOutput output) {
        applicationRunner()
                .withPropertyValues(server.cacheProperties())
                .withPropertyValues("litellm.cache.timeout=2s")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    service.completion(question("before"));
                    assertThat(service.completion(question("before")).cacheHit())
                            .isTrue();
                    S3Client raw = server.client();
                    server.keys(BUCKET)
                            .forEach(key ->
                                    raw.deleteObject(r -> r.bucket(BUCKET).key(key)));
                    raw.deleteBucket(r -> r.bucket(BUCKET));
                    int logged = output.getAll().length();

                    for (int i = 0; i < 40; i++) {
                        assertThat(service.completion(question("while gone " + i))
                                        .cacheHit())
                                .isFalse();
                    }
                    String meanwhile = output.getAll().substring(logged);
                    server.createBucket(BUCKET);
                    service.completion(question("after"));

                    assertThat(service.completion(question("after")).cacheHit()).isTrue();
                    assertThat(meanwhile.lines().filter(line -> line.contains("NoSuchBucket")))
                            .hasSizeBetween(1, 4);
                    assertThat(meanwhile).doesNotContain("\tat ");
                    assertThat(this.provider.requestCount()).isEqualTo(42);
                });
    }
}
