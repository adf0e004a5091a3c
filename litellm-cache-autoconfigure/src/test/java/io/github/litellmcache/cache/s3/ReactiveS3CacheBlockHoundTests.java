package io.github.litellmcache.cache.s3;

import io.github.litellmcache.cache.AbstractRemoteCacheBackendBlockHoundTests;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The reactive calls on the S3 backend never block a non-blocking thread (Reactor's parallel threads, Netty's event
 * loops), with the dedicated client and with an application's client, both blocking clients whose requests run on the
 * backend's bounded pool of threads. Its name does not start with S3, so that {@code -Dtest='S3*'} leaves it to the
 * BlockHound execution.
 */
class ReactiveS3CacheBlockHoundTests extends AbstractRemoteCacheBackendBlockHoundTests {

    @RegisterExtension
    static final S3ProxyServerExtension server = S3ProxyServerExtension.withBucket("blockhound");

    @BeforeAll
    static void installBlockHoundOnceS3Runs() {
        installBlockHound();
    }

    /** The dedicated client. */
    @Override
    protected ApplicationContextRunner storeRunner() {
        return applicationRunner()
                .withPropertyValues(server.cacheProperties())
                .withPropertyValues("litellm.cache.timeout=5s", "litellm.cache.s3.path=dedicated");
    }

    @Test
    void acompletionNeverBlocksANonBlockingThreadOnTheApplicationsBlockingClient() {
        applicationRunner()
                .withPropertyValues(
                        "litellm.cache.type=s3",
                        "litellm.cache.timeout=5s",
                        "litellm.cache.s3.bucket-name=" + server.bucket(),
                        "litellm.cache.s3.path=application")
                .withBean(S3Client.class, server::newClient)
                .run(context -> missThenHit(context.getBean(CompletionService.class)));
    }
}
