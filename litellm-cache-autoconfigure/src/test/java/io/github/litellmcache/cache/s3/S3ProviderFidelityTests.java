package io.github.litellmcache.cache.s3;

import io.github.litellmcache.cache.AbstractProviderFidelityTests;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@link AbstractProviderFidelityTests} with {@code litellm.cache.type=s3} against an in-process s3proxy. */
class S3ProviderFidelityTests extends AbstractProviderFidelityTests {

    private static final String BUCKET = "fidelity";

    @RegisterExtension
    static final S3ProxyServerExtension server = S3ProxyServerExtension.withBucket(BUCKET);

    @Override
    protected ApplicationContextRunner contextRunner() {
        return applicationRunner().withPropertyValues(server.cacheProperties()).withPropertyValues(GENEROUS_TIMEOUT);
    }
}
