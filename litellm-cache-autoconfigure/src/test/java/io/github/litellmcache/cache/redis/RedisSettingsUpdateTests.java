package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.RedisConnection;
import io.github.litellmcache.cache.Timeouts;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.cache.engine.GuardedBackend;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@link LlmCache#update} changes the Redis settings that used to be fixed at startup: the key prefix, the timeout and
 * the cooldown, against a real redis-server process.
 */
class RedisSettingsUpdateTests extends AbstractCachedApplicationTests {

    private static final CacheKey KEY = new CacheKey(null, "update-key");

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withPropertyValues(server.cacheProperties());

    private static void storeOnceAnswering(CacheBackend backend) {
        CacheEntry entry = new CacheEntry(
                new ChatCompletion(
                        "id",
                        1L,
                        "m",
                        List.of(new ChatCompletion.Choice(0, ChatMessage.assistant("x"), "stop")),
                        null,
                        null),
                Instant.now());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            backend.put(KEY, entry, null);
            assertThat(backend.get(KEY)).isNotNull();
        });
    }

    @Test
    void updateOfTheKeyPrefixWritesUnderTheNewPrefix() {
        this.contextRunner
                .withPropertyValues("litellm.cache.redis.key-prefix=first:")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    LlmCache cache = context.getBean(LlmCache.class);
                    service.completion(question("q"));
                    await().untilAsserted(() ->
                            assertThat(server.admin().keys("first:*")).hasSize(1));
                    RedisConnection redis = cache.settings().redis();
                    cache.update(cache.settings().toBuilder()
                            .redis(new RedisConnection(redis.host(), redis.port(), redis.password(), "second:"))
                            .build());
                    assertThat(service.completion(question("q")).cacheHit())
                            .as("the entry under the old prefix is not read")
                            .isFalse();
                    await().untilAsserted(() ->
                            assertThat(server.admin().keys("second:*")).hasSize(1));
                    assertThat(service.completion(question("q")).cacheHit()).isTrue();
                });
    }

    @Test
    void updateOfTheTimeoutChangesHowLongAReadWaits() {
        this.contextRunner.withPropertyValues("litellm.cache.timeout=100ms").run(context -> {
            LlmCache cache = context.getBean(LlmCache.class);
            BackendGuards guards = context.getBean(BackendGuards.class);
            storeOnceAnswering(cache.backend());
            readOnceFinding(context.getBean(CompletionService.class));
            server.admin().clientPause(1_000);
            long start = System.nanoTime();
            assertThat(answers(guards.guard(cache.backend())))
                    .as("a read slower than 100ms is given up")
                    .isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(800));
            cache.update(cache.settings().toBuilder()
                    .timeouts(new Timeouts(Duration.ofSeconds(5), Timeouts.DEFAULT_COOLDOWN))
                    .build());
            storeOnceAnswering(cache.backend());
            server.admin().clientPause(500);
            assertThat(answers(guards.guard(cache.backend())))
                    .as("the new timeout waits for the paused server")
                    .isTrue();
        });
    }

    @Test
    void updateOfTheCooldownChangesHowLongAFailingBackendIsSkipped() {
        this.contextRunner.withPropertyValues("litellm.cache.cooldown=1h").run(context -> {
            LlmCache cache = context.getBean(LlmCache.class);
            cache.update(cache.settings().toBuilder()
                    .timeouts(new Timeouts(Timeouts.DEFAULT_TIMEOUT, Duration.ofMillis(200)))
                    .build());
            GuardedBackend backend = context.getBean(BackendGuards.class).guard(cache.backend());
            storeOnceAnswering(cache.backend());
            server.stop();
            try {
                for (int i = 0; i < 10; i++) {
                    answers(backend);
                }
                assertThat(backend.isAvailable())
                        .as("skipped after repeated failures")
                        .isFalse();
            } finally {
                server.start();
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                answers(backend);
                assertThat(backend.isAvailable()).as("tried again after 200ms").isTrue();
            });
        });
    }

    /** Whether a read through the guard answered, rather than failing, being given up or skipped. */
    /**
     * A call read once that finds its entry, as any application's calls soon do, so that reads have
     * the timeout rather than the deadline of a read that is the first to find an entry.
     */
    private void readOnceFinding(CompletionService service) {
        service.completion(question("read once"));
        assertThat(service.completion(question("read once")).cacheHit()).isTrue();
    }

    private static boolean answers(GuardedBackend guard) {
        try {
            guard.probe(Duration.ofSeconds(10));
            return true;
        } catch (RuntimeException failedGivenUpOrSkipped) {
            return false;
        }
    }
}
