package io.github.litellmcache.cache.s3;

import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.testsupport.S3ProxyServer;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;

/** Cache settings for the S3 backend's dedicated client on a test's s3proxy. */
final class S3ProxySettings {

    private S3ProxySettings() {}

    /** The S3 backend in the extension's bucket, on its client endpoint, with the proxy's credentials. */
    static CacheSettings.Builder dedicatedClientOf(S3ProxyServerExtension server) {
        return CacheSettings.builder()
                .type(CacheType.S3)
                .s3BucketName(server.bucket())
                .s3EndpointUrl(server.clientEndpoint().toString())
                .s3AwsAccessKeyId(S3ProxyServer.ACCESS_KEY)
                .s3AwsSecretAccessKey(S3ProxyServer.SECRET_KEY);
    }
}
