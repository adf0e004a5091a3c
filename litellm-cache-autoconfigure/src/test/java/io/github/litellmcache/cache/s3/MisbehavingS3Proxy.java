package io.github.litellmcache.cache.s3;

import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.cache.S3Connection;
import io.github.litellmcache.testsupport.S3ProxyServer;
import java.net.ServerSocket;
import java.net.URI;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real s3proxy with one bucket, over a store that misbehaves as a test needs (writes that hang, reads that are
 * slow), and the properties that put an application's cache in that bucket with a 250 ms timeout.
 */
final class MisbehavingS3Proxy implements AutoCloseable {

    private final S3Proxy proxy;

    private final String bucket;

    private MisbehavingS3Proxy(S3Proxy proxy, String bucket) {
        this.proxy = proxy;
        this.bucket = bucket;
    }

    /** An s3proxy over an in-memory store with {@code bucket}, wrapped by {@code misbehaving}, started. */
    static MisbehavingS3Proxy start(String bucket, UnaryOperator<BlobStore> misbehaving) throws Exception {
        BlobStore store = new TransientNio2BlobStore();
        store.createContainer(bucket);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(misbehaving.apply(store))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:" + freePort()))
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        return new MisbehavingS3Proxy(proxy, bucket);
    }

    /** The cache in the bucket, with a 250 ms timeout and a cooldown no test reaches. */
    String[] cacheProperties() {
        return new String[] {
            "litellm.cache.type=s3",
            "litellm.cache.s3.bucket-name=" + this.bucket,
            "litellm.cache.s3.endpoint-url=" + endpointUrl(),
            "litellm.cache.s3.aws-access-key-id=" + S3ProxyServer.ACCESS_KEY,
            "litellm.cache.s3.aws-secret-access-key=" + S3ProxyServer.SECRET_KEY,
            "litellm.cache.timeout=250ms",
            "litellm.cache.cooldown=60s"
        };
    }

    /** The cache's own client of the bucket, with no timeout but the requests' own. */
    S3Connection dedicatedClient() {
        return CacheSettings.builder()
                .type(CacheType.S3)
                .s3BucketName(this.bucket)
                .s3EndpointUrl(endpointUrl())
                .s3AwsAccessKeyId(S3ProxyServer.ACCESS_KEY)
                .s3AwsSecretAccessKey(S3ProxyServer.SECRET_KEY)
                .build()
                .s3();
    }

    private String endpointUrl() {
        return "http://127.0.0.1:" + this.proxy.getPort();
    }

    @Override
    public void close() throws Exception {
        this.proxy.stop();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
