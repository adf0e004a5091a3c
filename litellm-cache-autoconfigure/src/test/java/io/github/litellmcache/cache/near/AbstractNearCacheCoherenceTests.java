package io.github.litellmcache.cache.near;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheOptions;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Two instances of an application on one Redis, each with a near tier: what one writes or clears, and an operator's
 * {@code FLUSHALL}, reaches their near tiers within 50 ms, and a tracking connection that Redis drops never lets a stale entry answer.
 */
abstract class AbstractNearCacheCoherenceTests extends AbstractCachedApplicationTests {

    private static final Duration COHERENT_WITHIN = Duration.ofMillis(50);

    static final Duration TRACKING_STARTS_WITHIN = Duration.ofSeconds(10);

    private static final String TEXT = "What is a near cache?";

    final ChatCompletionRequest question = question(TEXT);

    final ChatCompletionRequest noCache = question(
            TEXT, builder -> builder.cache(CacheOptions.builder().noCache(true).build()));

    /** Two instances of the application with a near tier, on the Redis under test. */
    abstract ApplicationContextRunner contextRunner();

    /** {@code host:port} of every master. */
    abstract List<String> masters();

    @Test
    void anOverwriteByAnotherInstanceIsReadWithin50ms() {
        twoInstances((a, b) -> {
            ChatCompletion first = inNearTier(a);
            ChatCompletion overwritten = service(b).completion(this.noCache);
            assertThat(overwritten.content()).isNotEqualTo(first.content());
            await().atMost(COHERENT_WITHIN)
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> service(a).completion(this.question).content(), overwritten.content()::equals);
        });
    }

    @Test
    void aClearByAnotherInstanceEmptiesThisInstancesNearTierWithin50ms() {
        twoInstances((a, b) -> {
            ChatCompletion first = inNearTier(a);
            b.getBean(LlmCache.class).clear();
            await().atMost(COHERENT_WITHIN)
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> nearTier(a).nearEntry(key(first)) == null);
            int calls = this.provider.requestCount();
            assertThat(service(a).completion(this.question).cacheHit()).isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(calls + 1);
        });
    }

    @Test
    void aFlushOfRedisByAnOperatorEmptiesEveryNearTierWithin50ms() {
        twoInstances((a, b) -> {
            ChatCompletion first = inNearTier(a);
            inNearTier(b);
            onEveryMaster((master, admin) -> admin.flushall());
            await().atMost(COHERENT_WITHIN)
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> nearTier(a).nearEntry(key(first)) == null
                            && nearTier(b).nearEntry(key(first)) == null);
            int calls = this.provider.requestCount();
            assertThat(service(a).completion(this.question).cacheHit()).isFalse();
            assertThat(service(b).completion(this.question).cacheHit()).isTrue();
            assertThat(this.provider.requestCount()).isEqualTo(calls + 1);
        });
    }

    @Test
    void aKilledTrackingConnectionServesNoStaleEntryAndTheNearTierComesBackAfterReconnection() {
        twoInstances((a, b) -> {
            inNearTier(a);
            killTrackingConnections();
            ChatCompletion overwritten = service(b).completion(this.noCache);
            assertThat(service(a).completion(this.question).content())
                    .as("the first read after the overwrite")
                    .isEqualTo(overwritten.content());
            await().atMost(TRACKING_STARTS_WITHIN)
                    .until(() -> nearTier(a).isNearTierInUse() && nearTier(b).isNearTierInUse());
            ChatCompletion refilled = inNearTier(a);
            assertThat(refilled.content()).isEqualTo(overwritten.content());
            ChatCompletion again = service(b).completion(this.noCache);
            await().atMost(COHERENT_WITHIN)
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> service(a).completion(this.question).content(), again.content()::equals);
        });
    }

    @Test
    void noCacheSkipsTheNearTierAndSMaxAgeJudgesANearEntryByItsStoredTime() throws InterruptedException {
        twoInstances((a, b) -> {
            inNearTier(a);
            int calls = this.provider.requestCount();
            assertThat(service(a).completion(this.noCache).cacheHit()).isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(calls + 1);
            ChatCompletion near = inNearTier(a);
            Thread.sleep(5);
            ChatCompletionRequest young = question(
                    TEXT,
                    builder -> builder.cache(
                            CacheOptions.builder().sMaxAge(Duration.ofMillis(1)).build()));
            assertThat(nearTier(a).nearEntry(key(near))).isNotNull();
            assertThat(service(a).completion(young).cacheHit()).isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(calls + 2);
        });
    }

    /** Reads the question on {@code instance} until its near tier holds the entry, then reads it from there. */
    ChatCompletion inNearTier(AssertableApplicationContext instance) {
        ChatCompletion read = service(instance).completion(this.question);
        await().atMost(Duration.ofSeconds(2))
                .until(() -> nearTier(instance).nearEntry(key(service(instance).completion(this.question))) != null);
        return read;
    }

    void twoInstances(Instances instances) {
        contextRunner()
                .run(a -> contextRunner().run(b -> {
                    await().atMost(TRACKING_STARTS_WITHIN)
                            .until(() ->
                                    nearTier(a).isNearTierInUse() && nearTier(b).isNearTierInUse());
                    instances.run(a, b);
                }));
    }

    private void killTrackingConnections() {
        onEveryMaster((master, admin) -> {
            List<Long> tracking = Arrays.stream(admin.clientList().split("\n"))
                    .filter(line -> line.contains(" name=" + RedisTracking.CLIENT_NAME + " "))
                    .map(line -> Long.parseLong(line.substring(3, line.indexOf(' '))))
                    .toList();
            assertThat(tracking)
                    .as("tracking connections of both instances on " + master)
                    .hasSize(2);
            tracking.forEach(id -> admin.clientKill(KillArgs.Builder.id(id)));
        });
    }

    /** Runs {@code command} on a connection of its own to each master, as an operator would. */
    private void onEveryMaster(BiConsumer<String, RedisCommands<String, String>> command) {
        RedisClient client = RedisClient.create();
        try {
            for (String master : masters()) {
                String[] hostPort = master.split(":");
                try (StatefulRedisConnection<String, String> admin =
                        client.connect(RedisURI.create(hostPort[0], Integer.parseInt(hostPort[1])))) {
                    command.accept(master, admin.sync());
                }
            }
        } finally {
            client.shutdown();
        }
    }

    private static CacheKey key(ChatCompletion completion) {
        return new CacheKey(null, completion.cacheKey());
    }

    static CompletionService service(AssertableApplicationContext instance) {
        return instance.getBean(CompletionService.class);
    }

    static NearCacheBackend nearTier(AssertableApplicationContext instance) {
        return (NearCacheBackend) instance.getBean(LlmCache.class).backend();
    }

    @FunctionalInterface
    interface Instances {
        void run(AssertableApplicationContext a, AssertableApplicationContext b) throws Exception;
    }
}
