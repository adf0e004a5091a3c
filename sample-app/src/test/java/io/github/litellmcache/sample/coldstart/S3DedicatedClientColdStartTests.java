package io.github.litellmcache.sample.coldstart;

import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.testsupport.S3ProxyServer;
import java.util.List;

/**
 * The quick start on S3 through the cache's dedicated client ({@code litellm.cache.s3.*}), built with
 * the HTTP client that {@code spring-cloud-aws-starter-s3} brings, against s3proxy.
 */
class S3DedicatedClientColdStartTests extends QuickStartAfterColdStart {

    private static final String BUCKET = "cold-start-dedicated";

    private static final S3ProxyServer s3 = closedAfterAll(S3ProxyServer.launch());

    static {
        s3.createBucket(BUCKET);
    }

    @Override
    CacheType backend() {
        return CacheType.S3;
    }

    @Override
    List<String> arguments() {
        return List.of(
                "--litellm.cache.type=s3",
                "--litellm.cache.s3.bucket-name=" + BUCKET,
                "--litellm.cache.s3.endpoint-url=" + s3.endpoint(),
                "--litellm.cache.s3.aws-access-key-id=" + S3ProxyServer.ACCESS_KEY,
                "--litellm.cache.s3.aws-secret-access-key=" + S3ProxyServer.SECRET_KEY);
    }
}
