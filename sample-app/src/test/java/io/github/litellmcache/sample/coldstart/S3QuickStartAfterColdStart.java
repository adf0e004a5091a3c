package io.github.litellmcache.sample.coldstart;

import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The quick start on an s3proxy of the class's own, holding the bucket {@code cold-start}. */
abstract class S3QuickStartAfterColdStart extends QuickStartAfterColdStart {

    @RegisterExtension
    static final S3ProxyServerExtension s3 = S3ProxyServerExtension.withBucket("cold-start");

    @Override
    CacheType backend() {
        return CacheType.S3;
    }
}
