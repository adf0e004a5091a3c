package io.github.litellmcache.testsupport;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An {@link S3ProxyServer} holding one bucket for the tests of one class, registered as a static
 * {@code @RegisterExtension} field (see {@link ServerPerClassExtension}): the bucket is created with the proxy and
 * emptied between tests; the proxy is optionally {@link #behindFaultyNetwork()}.
 */
public final class S3ProxyServerExtension extends ServerPerClassExtension<S3ProxyServerExtension.Running>
        implements StoppableStore {

    private final String bucket;

    private final boolean tls;

    private final boolean faultyNetwork;

    private S3ProxyServerExtension(String bucket, boolean tls, boolean faultyNetwork) {
        this.bucket = bucket;
        this.tls = tls;
        this.faultyNetwork = faultyNetwork;
    }

    /** A proxy on plain HTTP holding {@code bucket}. */
    public static S3ProxyServerExtension withBucket(String bucket) {
        return new S3ProxyServerExtension(bucket, false, false);
    }

    /** A proxy on plain HTTP and on HTTPS ({@link S3ProxyServer#launchWithTls()}) holding {@code bucket}. */
    public static S3ProxyServerExtension withBucketAndTls(String bucket) {
        return new S3ProxyServerExtension(bucket, true, false);
    }

    /**
     * This proxy reached through a {@link FaultyTcpProxy}, {@link #network()}, opened and closed with it: the
     * {@link #clientEndpoint()} and {@link #cacheProperties()} go through it.
     */
    public S3ProxyServerExtension behindFaultyNetwork() {
        return new S3ProxyServerExtension(this.bucket, this.tls, true);
    }

    @Override
    protected Running launch() {
        S3ProxyServer proxy = this.tls ? S3ProxyServer.launchWithTls() : S3ProxyServer.launch();
        proxy.createBucket(this.bucket);
        FaultyTcpProxy network = this.faultyNetwork
                ? FaultyTcpProxy.forwardingTo(proxy.endpoint().getPort())
                : null;
        return new Running(proxy, network);
    }

    @Override
    protected void empty(Running running) {
        running.proxy().createBucket(this.bucket);
    }

    /** The bucket the tests use. */
    public String bucket() {
        return this.bucket;
    }

    /**
     * The cache properties ({@code litellm.cache.*}) that put an application's cache in {@link #bucket()} on this
     * proxy, through a dedicated client with the proxy's credentials.
     */
    public String[] cacheProperties() {
        return new String[] {
            "litellm.cache.type=s3",
            "litellm.cache.s3.bucket-name=" + this.bucket,
            "litellm.cache.s3.endpoint-url=" + clientEndpoint(),
            "litellm.cache.s3.aws-access-key-id=" + S3ProxyServer.ACCESS_KEY,
            "litellm.cache.s3.aws-secret-access-key=" + S3ProxyServer.SECRET_KEY
        };
    }

    /**
     * The Spring Cloud AWS properties ({@code spring.cloud.aws.*}) that point an application's own S3 client at this
     * proxy, with path-style access and the proxy's credentials.
     */
    public String[] applicationClientProperties() {
        return new String[] {
            "spring.cloud.aws.s3.endpoint=" + endpoint(),
            "spring.cloud.aws.s3.path-style-access-enabled=true",
            "spring.cloud.aws.region.static=us-east-1",
            "spring.cloud.aws.credentials.access-key=" + S3ProxyServer.ACCESS_KEY,
            "spring.cloud.aws.credentials.secret-key=" + S3ProxyServer.SECRET_KEY
        };
    }

    /** The plain HTTP endpoint for the code under test: through the {@link #network()} when there is one. */
    public URI clientEndpoint() {
        FaultyTcpProxy network = server().network();
        return network != null ? URI.create("http://127.0.0.1:" + network.port()) : endpoint();
    }

    /** The {@link FaultyTcpProxy} in front of a proxy {@link #behindFaultyNetwork()}. */
    public FaultyTcpProxy network() {
        FaultyTcpProxy network = server().network();
        if (network == null) {
            throw new IllegalStateException(
                    "no faulty network in front of s3proxy: register the extension behindFaultyNetwork()");
        }
        return network;
    }

    /** See {@link S3ProxyServer#endpoint()}. */
    public URI endpoint() {
        return proxy().endpoint();
    }

    /** See {@link S3ProxyServer#secureEndpoint()}. */
    public URI secureEndpoint() {
        return proxy().secureEndpoint();
    }

    /** See {@link S3ProxyServer#caBundle()}. */
    public Path caBundle() {
        return proxy().caBundle();
    }

    /** See {@link S3ProxyServer#client()}. */
    public S3Client client() {
        return proxy().client();
    }

    /** See {@link S3ProxyServer#newClient()}. */
    public S3Client newClient() {
        return proxy().newClient();
    }

    /** See {@link S3ProxyServer#newAsyncClient()}. */
    public S3AsyncClient newAsyncClient() {
        return proxy().newAsyncClient();
    }

    /** See {@link S3ProxyServer#createBucket(String)}. */
    public void createBucket(String name) {
        proxy().createBucket(name);
    }

    /** The keys of every object in {@link #bucket()}. */
    public List<String> keys() {
        return keys(this.bucket);
    }

    /** See {@link S3ProxyServer#keys(String)}. */
    public List<String> keys(String name) {
        return proxy().keys(name);
    }

    /** See {@link S3ProxyServer#stop()}. */
    @Override
    public void stop() {
        proxy().stop();
    }

    /** See {@link S3ProxyServer#start()}. */
    @Override
    public void start() {
        proxy().start();
    }

    private S3ProxyServer proxy() {
        return server().proxy();
    }

    /** A running proxy and the network in front of it, if any, closed together. */
    record Running(S3ProxyServer proxy, @Nullable FaultyTcpProxy network) implements AutoCloseable {

        @Override
        public void close() {
            if (this.network != null) {
                this.network.close();
            }
            this.proxy.close();
        }
    }
}
