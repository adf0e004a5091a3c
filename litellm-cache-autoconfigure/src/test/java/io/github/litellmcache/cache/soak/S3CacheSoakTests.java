package io.github.litellmcache.cache.soak;

import io.github.litellmcache.testsupport.FaultyTcpProxy;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The soak on an in-process s3proxy, reached through a {@link FaultyTcpProxy}: the server is stopped and started
 * again on the same port, the network is cut (every connection closed, new ones refused) and restored, then it hangs
 * (connections open, nothing forwarded) and is restored.
 */
class S3CacheSoakTests extends AbstractCacheSoakTests {

    @RegisterExtension
    static final S3ProxyServerExtension server =
            S3ProxyServerExtension.withBucket("soak").behindFaultyNetwork();

    @Override
    protected ApplicationContextRunner backendRunner() {
        return applicationRunner().withPropertyValues(server.cacheProperties());
    }

    @Override
    protected List<Fault> faults() {
        FaultyTcpProxy network = server.network();
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
