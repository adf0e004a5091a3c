package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The first calls after a dedicated Redis backend is created use the cache even when its first
 * connection takes longer than {@code litellm.cache.timeout}: the server (with a password) is
 * paused with {@code CLIENT PAUSE} just before the backend is created, so that the connection's
 * handshake waits, as a connection made in a cold JVM does.
 */
class RedisQuickStartTests extends AbstractCachedApplicationTests {

    private static final String PASSWORD = "quick-start-pass";

    /** Four times the timeout: without the warm-up, both calls would miss. */
    private static final long PAUSE_MILLIS = 1_000;

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension("--requirepass", PASSWORD);

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withPropertyValues(
                    "litellm.cache.timeout=250ms",
                    "litellm.cache.redis.host=127.0.0.1",
                    "litellm.cache.redis.port=" + server.port(),
                    "litellm.cache.redis.password=" + PASSWORD);

    @Test
    void secondOfTwoIdenticalCallsRightAfterStartupIsAHitWhileTheFirstConnectionIsSlow() {
        server.admin().clientPause(PAUSE_MILLIS);
        this.contextRunner.withPropertyValues("litellm.cache.type=redis").run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            assertThat(service.completion(question("first question")).cacheHit())
                    .isFalse();
            assertThat(service.completion(question("first question")).cacheHit())
                    .isTrue();
            assertThat(this.provider.requestCount()).isEqualTo(1);
        });
    }

    @Test
    void reactiveCallsRightAfterStartupUseTheCacheWhileTheFirstConnectionIsSlow() {
        server.admin().clientPause(PAUSE_MILLIS);
        this.contextRunner.withPropertyValues("litellm.cache.type=redis").run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            assertThat(service.acompletion(question("reactive question"))
                            .block()
                            .cacheHit())
                    .isFalse();
            assertThat(service.acompletion(question("reactive question"))
                            .block()
                            .cacheHit())
                    .isTrue();
            assertThat(this.provider.requestCount()).isEqualTo(1);
        });
    }

    @Test
    void backendCreatedByUpdateWarmsUpTheSameWay() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            server.admin().clientPause(PAUSE_MILLIS);
            context.getBean(LlmCache.class)
                    .update(CacheSettings.builder()
                            .type(CacheType.REDIS)
                            .host("127.0.0.1")
                            .port(server.port())
                            .password(PASSWORD)
                            .build());
            assertThat(service.completion(question("after the update")).cacheHit())
                    .isFalse();
            assertThat(service.completion(question("after the update")).cacheHit())
                    .isTrue();
            assertThat(this.provider.requestCount()).isEqualTo(1);
        });
    }
}
