package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.cache.CacheEntries;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheEntryCodec;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * An object larger than {@link S3CacheBackend#MAX_OBJECT_BYTES} at an entry's key (put there by someone else, or by a
 * mistake) is a miss, never read whole into memory, on the blocking and on the asynchronous client alike; and the
 * backend never writes an entry that large, which no read would take.
 */
@ExtendWith(OutputCaptureExtension.class)
class S3ObjectSizeBoundTests {

    private static final String BUCKET = "size-bound";

    @RegisterExtension
    static final S3ProxyServerExtension server = S3ProxyServerExtension.withBucket(BUCKET);

    private static final byte[] OVERSIZED = CacheEntries.oversizedEnvelope();

    @Test
    void oversizedObjectAtAnEntrysKeyIsAMissOnTheDedicatedClient(CapturedOutput output) {
        putOversized("dedicated");
        try (S3CacheBackend backend = S3CacheBackend.dedicated(
                S3ProxySettings.dedicatedClientOf(server)
                        .s3BucketName(BUCKET)
                        .s3Path("entries")
                        .build()
                        .s3(),
                List.of())) {
            assertThat(backend.get(new CacheKey(null, "dedicated"))).isNull();
        }
        assertThat(output).contains("larger than 64MB").contains(BUCKET).doesNotContain("dedicated");
    }

    @Test
    void oversizedObjectAtAnEntrysKeyIsAMissOnTheApplicationsAsyncClient() {
        putOversized("async");
        try (S3AsyncClient client = server.newAsyncClient();
                S3CacheBackend backend = new S3CacheBackend(client, BUCKET, "entries")) {
            assertThat(backend.get(new CacheKey(null, "async"))).isNull();
        }
    }

    @Test
    void entryWhoseObjectWouldBeOversizedIsNotWritten() {
        CacheEntry entry = new CacheEntryCodec().decode(OVERSIZED);
        try (S3CacheBackend backend = new S3CacheBackend(server.client(), BUCKET, "written")) {
            backend.put(new CacheKey(null, "too-large"), entry, null);
        }
        assertThatExceptionOfType(NoSuchKeyException.class)
                .isThrownBy(
                        () -> server.client().headObject(r -> r.bucket(BUCKET).key("written/too-large")));
    }

    private static void putOversized(String key) {
        server.client()
                .putObject(
                        r -> r.bucket(BUCKET)
                                .key("entries/" + key)
                                .metadata(
                                        Map.of(S3CacheBackend.FORMAT_METADATA, String.valueOf(CacheEntryCodec.FORMAT))),
                        RequestBody.fromBytes(OVERSIZED));
    }
}
