package io.github.litellmcache.cache.s3;

import io.github.litellmcache.cache.AbstractRemoteCacheBackendBlockHoundTests;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The reactive calls on the S3 backend never block a non-blocking thread (Reactor's parallel threads, Netty's event
 * loops), with the dedicated client and with an application's client, both blocking clients whose requests run on the
 * backend's bounded pool of threads. Its name does not start with S3, so that {@code -Dtest='S3*'} leaves it to the
 * BlockHound execution.
 */
class ReactiveS3CacheBlockHoundTests extends AbstractRemoteCacheBackendBlockHoundTests {

    private static final String BUCKET = "blockhound";

    private static S3ProxyServer server;

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withPropertyValues(
                    "litellm.cache.type=s3", "litellm.cache.timeout=5s", "litellm.cache.s3.bucket-name=" + BUCKET);

    @BeforeAll
    static void startS3AndInstallBlockHound() {
        server = S3ProxyServer.launch();
        server.createBucket(BUCKET);
        installBlockHound();
    }

    @AfterAll
    static void stopS3() {
        server.close();
    }

    /** The dedicated client. */
    @Override
    protected ApplicationContextRunner storeRunner() {
        return this.contextRunner.withPropertyValues(
                "litellm.cache.s3.path=dedicated",
                "litellm.cache.s3.endpoint-url=" + server.endpoint(),
                "litellm.cache.s3.aws-access-key-id=" + S3ProxyServer.ACCESS_KEY,
                "litellm.cache.s3.aws-secret-access-key=" + S3ProxyServer.SECRET_KEY);
    }

    @Test
    void acompletionNeverBlocksANonBlockingThreadOnTheApplicationsBlockingClient() {
        this.contextRunner
                .withPropertyValues("litellm.cache.s3.path=application")
                .withBean(
                        S3Client.class,
                        () -> S3Client.builder()
                                .endpointOverride(server.endpoint())
                                .forcePathStyle(true)
                                .region(Region.US_EAST_1)
                                .credentialsProvider(StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                                .build())
                .run(context -> missThenHit(context.getBean(CompletionService.class)));
    }
}
