package io.github.litellmcache.cache.soak;

import io.github.litellmcache.testsupport.FaultyTcpProxy;
import io.github.litellmcache.testsupport.S3ProxyServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The soak on an in-process s3proxy, reached through a {@link FaultyTcpProxy}: the server is stopped and started
 * again on the same port, the network is cut (every connection closed, new ones refused) and restored, then it hangs
 * (connections open, nothing forwarded) and is restored.
 */
class S3CacheSoakTests extends AbstractCacheSoakTests {

    private static final String BUCKET = "soak";

    private static S3ProxyServer server;

    private static FaultyTcpProxy network;

    @BeforeAll
    static void startS3() {
        server = S3ProxyServer.launch();
        server.createBucket(BUCKET);
        network = FaultyTcpProxy.forwardingTo(server.endpoint().getPort());
    }

    @AfterAll
    static void stopS3() {
        network.close();
        server.close();
    }

    @Override
    protected ApplicationContextRunner backendRunner() {
        return applicationRunner()
                .withPropertyValues(
                        "litellm.cache.type=s3",
                        "litellm.cache.s3.bucket-name=" + BUCKET,
                        "litellm.cache.s3.endpoint-url=http://127.0.0.1:" + network.port(),
                        "litellm.cache.s3.aws-access-key-id=" + S3ProxyServer.ACCESS_KEY,
                        "litellm.cache.s3.aws-secret-access-key=" + S3ProxyServer.SECRET_KEY);
    }

    @Override
    protected List<Fault> faults() {
        return List.of(
                new Fault("stopped", server::stop, server::start),
                new Fault("cut", network::cut, network::restore),
                new Fault("hung", network::pause, network::restore));
    }

    @Override
    protected String backendName() {
        return "s3";
    }
}
