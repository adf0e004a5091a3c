package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * An object under a cache key far larger than any entry the cache writes (someone wrote it there) is a miss without
 * being read into the heap, as its size is known from its headers before its body.
 */
class EnormousS3ObjectTests {

    private static final int OBJECT_BYTES = 48 * 1024 * 1024;

    @RegisterExtension
    static final S3ProxyServerExtension server = S3ProxyServerExtension.withBucket("enormous");

    @Test
    @Disabled("finding: an object of any size is read whole into the heap before decoding")
    void anObjectOfTensOfMegabytesIsAMissWithoutBeingReadIntoTheHeap() {
        S3CacheBackend backend = S3CacheBackend.dedicated(
                S3ProxySettings.dedicatedClientOf(server).build().s3(), List.of());
        try {
            CacheKey key = new CacheKey(null, "enormous");
            server.client()
                    .putObject(
                            request -> request.bucket(server.bucket()).key(backend.objectKey(key)),
                            RequestBody.fromBytes(new byte[OBJECT_BYTES]));
            backend.get(new CacheKey(null, "warm-up"));
            Map<Long, Long> before = allocatedByTheBackendsThreads();

            assertThat(backend.get(key)).isNull();

            long allocated = allocatedByTheBackendsThreads().entrySet().stream()
                    .mapToLong(thread -> thread.getValue() - before.getOrDefault(thread.getKey(), 0L))
                    .sum();
            assertThat(allocated)
                    .as("bytes allocated by the backend's threads (not s3proxy's) during the read")
                    .isLessThan(OBJECT_BYTES / 4);
        } finally {
            backend.close();
        }
    }

    /** The bytes each thread of the backend's pool has allocated, by thread id. */
    private static Map<Long, Long> allocatedByTheBackendsThreads() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("litellm-s3-cache"))
                .collect(Collectors.toMap(Thread::getId, thread -> threads.getThreadAllocatedBytes(thread.getId())));
    }
}
