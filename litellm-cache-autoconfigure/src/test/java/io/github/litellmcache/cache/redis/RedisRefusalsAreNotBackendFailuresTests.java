package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheOptions;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.Disposable;

/**
 * Against a real redis-server: a write Redis refuses with an error reply, and a read its caller cancels, are not
 * failures of the backend, so they never open its circuit breaker for everyone.
 */
class RedisRefusalsAreNotBackendFailuresTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension("--enable-debug-command", "yes");

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withPropertyValues(server.cacheProperties())
            .withPropertyValues("litellm.cache.timeout=5s", "litellm.cache.cooldown=60s");

    @BeforeEach
    void noMemoryLimit() {
        server.admin().configSet("maxmemory", "0");
    }

    @Test
    void writesRedisRefusesWithAnErrorReplyNeverOpenTheBreaker() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("warm up"));
            server.admin().configSet("maxmemory", "1");
            long stored = entries();
            for (int i = 0; i < 10; i++) {
                service.completion(question(
                        "refused write " + i,
                        options -> options.cache(
                                CacheOptions.builder().noCache(true).build())));
            }
            assertThat(entries()).as("every write refused").isEqualTo(stored);
            assertThat(isAvailable(context)).as("calls still use Redis").isTrue();
            server.admin().configSet("maxmemory", "0");
            service.completion(question("stored again"));
            ChatCompletion hit = service.completion(question("stored again"));
            assertThat(hit.cacheHit()).isTrue();
        });
    }

    @Test
    void readsTheirCallersCancelNeverOpenTheBreaker() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("warm up"));
            for (int i = 0; i < 10; i++) {
                pauseRedis();
                Thread.sleep(20);
                Disposable call =
                        service.acompletion(question("cancelled " + i)).subscribe();
                Thread.sleep(50);
                call.dispose();
                Thread.sleep(300);
            }
            assertThat(isAvailable(context)).as("calls still use Redis").isTrue();
        });
    }

    /** Makes the server sleep 300 ms, in the background: every read meanwhile waits. */
    private static void pauseRedis() {
        server.admin()
                .getStatefulConnection()
                .async()
                .dispatch(
                        CommandType.DEBUG,
                        new StatusOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add("0.3"));
    }

    private static boolean isAvailable(AssertableApplicationContext context) {
        return context.getBean(BackendGuards.class)
                .guard(context.getBean(LlmCache.class).backend())
                .isAvailable();
    }

    /** The cache's entries in Redis, without the fleet's short-lived leases. */
    private static long entries() {
        return server.admin().keys("litellm:*").stream()
                .filter(key -> !key.startsWith("litellm:lock/"))
                .count();
    }
}
