package io.github.litellmcache.cache.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheEntries;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheOptions;
import io.github.litellmcache.cache.S3Connection;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * S3 refuses object keys over 1,024 bytes of UTF-8 (s3proxy does not, so the name is checked
 * itself): every namespace that {@link CacheOptions} accepts with every key that the engine accepts
 * from a key generator (at most 512 characters without control characters), under every path that
 * {@link S3Connection} accepts, must name an object within that limit, else every write of such a
 * key fails on S3; such a name still stores and finds its own entry.
 */
class S3ObjectKeyLengthTests {

    private static final String BUCKET = "key-length";

    /** S3's longest object key, in bytes of UTF-8. */
    private static final int S3_MAX_KEY_BYTES = 1_024;

    @RegisterExtension
    static final S3ProxyServerExtension server = S3ProxyServerExtension.withBucket(BUCKET);

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "\u00e9"})
    void everyNamespaceKeyAndPathTheCacheAcceptsNameAnObjectWithinS3sLimit(String pathCharacter) {
        String namespace = "\u4e2d".repeat(CacheOptions.MAX_NAMESPACE_LENGTH);
        CacheOptions.builder().namespace(namespace).build();
        String longestPath =
                pathCharacter.repeat(S3Connection.MAX_PATH_BYTES / Math.max(1, pathCharacter.getBytes(UTF_8).length));
        try (S3CacheBackend backend = S3CacheBackend.dedicated(
                S3ProxySettings.dedicatedClientOf(server)
                        .s3BucketName(BUCKET)
                        .s3Path(longestPath)
                        .build()
                        .s3(),
                List.of())) {
            for (String key : List.of("/".repeat(512), "\u4e2d".repeat(512))) {
                String objectKey = backend.objectKey(new CacheKey(namespace, key));

                assertThat(objectKey.getBytes(UTF_8).length)
                        .as("bytes of the object key of a %d-character key", key.length())
                        .isLessThanOrEqualTo(S3_MAX_KEY_BYTES);
                backend.put(new CacheKey(namespace, key), CacheEntries.answering(key), null);
            }
            for (String key : List.of("/".repeat(512), "\u4e2d".repeat(512))) {
                CacheEntry stored = backend.get(new CacheKey(namespace, key));
                assertThat(stored)
                        .as("the entry of a %d-character key", key.length())
                        .isNotNull();
                assertThat(stored.response())
                        .isInstanceOfSatisfying(
                                ChatCompletion.class,
                                completion -> assertThat(completion.content()).isEqualTo(key));
            }
        }
    }
}
