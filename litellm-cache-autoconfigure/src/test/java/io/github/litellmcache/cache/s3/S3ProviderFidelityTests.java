package io.github.litellmcache.cache.s3;

import io.github.litellmcache.cache.AbstractProviderFidelityTests;
import io.github.litellmcache.testsupport.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@link AbstractProviderFidelityTests} with {@code litellm.cache.type=s3} against an in-process s3proxy. */
class S3ProviderFidelityTests extends AbstractProviderFidelityTests {

    private static final String BUCKET = "fidelity";

    private static S3ProxyServer server;

    @BeforeAll
    static void startS3() {
        server = S3ProxyServer.launch();
    }

    @AfterAll
    static void stopS3() {
        server.close();
    }

    @BeforeEach
    void createBucket() {
        server.createBucket(BUCKET);
    }

    @Override
    protected ApplicationContextRunner contextRunner() {
        return applicationRunner()
                .withPropertyValues(
                        "litellm.cache.type=s3",
                        "litellm.cache.s3.bucket-name=" + BUCKET,
                        "litellm.cache.s3.endpoint-url=" + server.endpoint(),
                        "litellm.cache.s3.aws-access-key-id=" + S3ProxyServer.ACCESS_KEY,
                        "litellm.cache.s3.aws-secret-access-key=" + S3ProxyServer.SECRET_KEY);
    }
}
