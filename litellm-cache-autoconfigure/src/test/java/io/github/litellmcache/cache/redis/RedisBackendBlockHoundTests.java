package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.autoconfigure.LiteLlmCacheAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCompletionAutoConfiguration;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.OpenAiFake;
import io.github.litellmcache.testsupport.RedisServer;
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

/**
 * Proves with BlockHound that the reactive calls on the Redis backend never block a non-blocking
 * thread (Reactor's parallel threads, Netty's and Lettuce's event loops), on a miss, a write and a
 * hit. Runs in its own Surefire execution, as BlockHound instruments the whole JVM.
 */
class RedisBackendBlockHoundTests {

    private static RedisServer server;

    private final OpenAiFake provider = new OpenAiFake();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    LiteLlmCompletionAutoConfiguration.class, LiteLlmCacheAutoConfiguration.class))
            .withPropertyValues(
                    "litellm.openai.api-base=" + this.provider.apiBase(),
                    "litellm.cache.type=redis",
                    "litellm.cache.timeout=2s",
                    "litellm.cache.redis.host=127.0.0.1",
                    "litellm.cache.redis.port=" + server.port());

    @BeforeAll
    static void installBlockHound() {
        server = RedisServer.launch();
        BlockHound.install();
    }

    @AfterAll
    static void stopRedis() {
        server.close();
    }

    @AfterEach
    void stopProvider() throws Exception {
        this.provider.close();
    }

    @Test
    void blockHoundIsActive() {
        assertThatExceptionOfType(RuntimeException.class)
                .isThrownBy(() -> Mono.fromRunnable(RedisBackendBlockHoundTests::sleep)
                        .subscribeOn(Schedulers.parallel())
                        .block())
                .withMessageContaining("Blocking call");
    }

    @Test
    void acompletionAndAembeddingNeverBlockANonBlockingThread() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletionRequest request = ChatCompletionRequest.of("gpt-4o-mini", List.of(ChatMessage.user("q")));
            ChatCompletion miss = service.acompletion(request)
                    .subscribeOn(Schedulers.parallel())
                    .block(Duration.ofSeconds(10));
            ChatCompletion hit = service.acompletion(request)
                    .subscribeOn(Schedulers.parallel())
                    .block(Duration.ofSeconds(10));
            assertThat(miss.cacheHit()).isFalse();
            assertThat(hit.cacheHit()).isTrue();
            assertThat(hit.id()).isEqualTo(miss.id());
        });
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
