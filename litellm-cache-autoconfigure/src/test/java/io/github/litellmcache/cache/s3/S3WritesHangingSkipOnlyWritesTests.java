package io.github.litellmcache.cache.s3;

import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a real s3proxy whose writes start to hang while its reads go on answering: the concurrent misses whose writes
 * miss their deadline skip the writes that follow, never the reads, so an entry stored before stays a hit.
 */
class S3WritesHangingSkipOnlyWritesTests extends AbstractCachedApplicationTests {

    private static final String BUCKET = "writes-start-to-hang";

    private WritesHang writes;

    private MisbehavingS3Proxy proxy;

    @BeforeEach
    void start() throws Exception {
        this.proxy = MisbehavingS3Proxy.start(BUCKET, store -> this.writes = new WritesHang(store, false));
    }

    @AfterEach
    void stop() throws Exception {
        this.writes.answer();
        this.proxy.close();
    }

    @Test
    void concurrentMissesWhoseWritesHangLeaveReadsAndHitsServed() {
        applicationRunner()
                .withPropertyValues(this.proxy.cacheProperties())
                .run(context -> assertFailingWritesSkipOnlyWrites(context, this.writes::hang));
    }
}
