package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.NearCacheSettings;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;

/**
 * Against a real redis-server frozen ({@code SIGSTOP}) before the application starts, as a Redis behind a proxy or
 * sidecar that accepts connections and never answers: its dedicated connection's handshake never ends, and neither
 * the application's shutdown nor {@link LlmCache#update} replacing the backend waits for it (Lettuce would otherwise
 * wait its 60 s default command timeout for the handshake, holding the connection factory's lock that closing needs).
 */
class RedisFrozenFromStartTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    /** Far below Lettuce's 60 s default, far above the 2 s connect timeout on a loaded machine. */
    private static final Duration PROMPTLY = Duration.ofSeconds(20);

    @BeforeEach
    void freeze() {
        server.pause();
    }

    @AfterEach
    void thaw() {
        server.resume();
    }

    @Test
    void theApplicationShutsDownWithoutWaitingForAHandshakeRedisNeverAnswers() {
        applicationRunner().withPropertyValues(server.cacheProperties()).run(context -> {
            context.getBean(CompletionService.class).completion(question("q"));

            long start = System.nanoTime();
            context.close();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
        });
    }

    @Test
    void replacingTheBackendDoesNotWaitForAHandshakeRedisNeverAnswers() {
        applicationRunner().run(context -> {
            LlmCache cache = context.getBean(LlmCache.class);
            cache.update(CacheSettings.builder()
                    .type(CacheType.REDIS)
                    .host("127.0.0.1")
                    .port(server.port())
                    .build());
            context.getBean(CompletionService.class).completion(question("q"));

            long start = System.nanoTime();
            cache.update(CacheSettings.defaults());

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
        });
    }

    @Test
    void replacingABackendWithANearTierOnTheApplicationsFactoryDoesNotWaitForItsTrackingConnection() {
        applicationRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port())
                .run(context -> {
                    LlmCache cache = context.getBean(LlmCache.class);
                    cache.update(CacheSettings.builder()
                            .type(CacheType.REDIS)
                            .near(new NearCacheSettings(
                                    true, NearCacheSettings.DEFAULT_MAX_MEMORY, NearCacheSettings.DEFAULT_TTL))
                            .build());
                    context.getBean(CompletionService.class).completion(question("q"));

                    long start = System.nanoTime();
                    cache.update(CacheSettings.defaults());

                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
                    // The application's own factory, closed with the context, waits for its connection (60 s).
                    server.resume();
                });
    }
}
