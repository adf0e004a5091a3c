package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.AbstractCacheBackendContractTests;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The S3 backend on an application's blocking {@code S3Client}, whose requests run on the backend's bounded threads,
 * against an in-process s3proxy with V4 authentication.
 */
class S3CacheBackendOnApplicationClientTests extends AbstractCacheBackendContractTests {

    private static final String BUCKET = "application-client";

    @RegisterExtension
    static final S3ProxyServerExtension server = S3ProxyServerExtension.withBucket(BUCKET);

    @Override
    protected CacheBackend createBackend() {
        return new S3CacheBackend(server.client(), BUCKET, "entries");
    }

    @Test
    void closingTheBackendLeavesTheApplicationsClientOpen() {
        backend().put(new CacheKey(null, "k"), entry("x"), null);
        backend().close();
        assertThat(server.keys(BUCKET)).containsExactly("entries/k");
    }
}
