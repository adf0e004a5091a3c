package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.autoconfigure.LiteLlmCacheAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCompletionAutoConfiguration;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.OpenAiFake;
import io.github.litellmcache.testsupport.S3ProxyServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Proves with BlockHound that the reactive calls on the S3 backend never block a non-blocking thread (Reactor's
 * parallel threads, Netty's event loops), on a miss, a write and a hit, with the dedicated client and with an
 * application's client, both blocking clients whose requests run on the backend's bounded pool of threads. Runs in its own Surefire execution, as BlockHound instruments the whole JVM (its
 * name does not start with S3, so that {@code -Dtest='S3*'} leaves it to that execution).
 */
class ReactiveS3CacheBlockHoundTests {

    private static final String BUCKET = "blockhound";

    private static S3ProxyServer server;

    private final OpenAiFake provider = new OpenAiFake();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    LiteLlmCompletionAutoConfiguration.class, LiteLlmCacheAutoConfiguration.class))
            .withPropertyValues(
                    "litellm.openai.api-base=" + this.provider.apiBase(),
                    "litellm.cache.type=s3",
                    "litellm.cache.timeout=5s",
                    "litellm.cache.s3.bucket-name=" + BUCKET);

    @BeforeAll
    static void installBlockHound() {
        server = S3ProxyServer.launch();
        server.createBucket(BUCKET);
        BlockHound.install();
    }

    @AfterAll
    static void stopS3() {
        server.close();
    }

    @AfterEach
    void stopProvider() throws Exception {
        this.provider.close();
    }

    @Test
    void blockHoundIsActive() {
        assertThatExceptionOfType(RuntimeException.class)
                .isThrownBy(() -> Mono.fromRunnable(ReactiveS3CacheBlockHoundTests::sleep)
                        .subscribeOn(Schedulers.parallel())
                        .block())
                .withMessageContaining("Blocking call");
    }

    @Test
    void acompletionNeverBlocksANonBlockingThreadOnTheDedicatedClient() {
        this.contextRunner
                .withPropertyValues(
                        "litellm.cache.s3.path=dedicated",
                        "litellm.cache.s3.endpoint-url=" + server.endpoint(),
                        "litellm.cache.s3.aws-access-key-id=" + S3ProxyServer.ACCESS_KEY,
                        "litellm.cache.s3.aws-secret-access-key=" + S3ProxyServer.SECRET_KEY)
                .run(context -> missThenHit(context.getBean(CompletionService.class)));
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

    private static void missThenHit(CompletionService service) {
        ChatCompletionRequest request = ChatCompletionRequest.of("gpt-4o-mini", List.of(ChatMessage.user("q")));
        ChatCompletion miss =
                service.acompletion(request).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10));
        ChatCompletion hit =
                service.acompletion(request).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10));
        assertThat(miss.cacheHit()).isFalse();
        assertThat(hit.cacheHit()).isTrue();
        assertThat(hit.id()).isEqualTo(miss.id());
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
