package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheEntries;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheStatistics;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.RedisConnection;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServer;
import io.github.litellmcache.testsupport.RedisServerExtension;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.StringUtils;

/**
 * Against a real redis-server with a {@code maxmemory}: with {@code litellm.cache.ttl} unset, a
 * {@code maxmemory-policy} that cannot evict the cache's entries is warned about once per backend, at its first write,
 * on a dedicated connection and on the application's; a TTL, an {@code allkeys-*} policy or no {@code maxmemory} is not, and a user
 * that may not run {@code INFO} changes nothing for the calls.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisEvictionPolicyWarningTests extends AbstractCachedApplicationTests {

    private static final String WARNING = "Redis cannot evict this cache's entries (maxmemory-policy volatile-lru)";

    private static final String PASSWORD = "acl-pw-5c19e4";

    /** With the README's ACL user, which may not run {@code INFO} nor {@code CONFIG}. */
    @RegisterExtension
    static final RedisServerExtension server =
            new RedisServerExtension(RedisLeastPrivilegeAclUserTests.withReadmeAclUser(
                    PASSWORD, "--maxmemory", "100mb", "--maxmemory-policy", "volatile-lru"));

    private final LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withPropertyValues("litellm.cache.timeout=2s");

    @AfterEach
    void restoreServerAndLogLevel() {
        server.admin().configSet(Map.of("maxmemory", "100mb", "maxmemory-policy", "volatile-lru"));
        this.loggingSystem.setLogLevel(EvictionPolicyCheck.class.getName(), null);
    }

    @Test
    void aVolatilePolicyIsWarnedAboutOncePerBackendNotOnReconnectsAndAgainForTheBackendAnUpdateMakes(
            CapturedOutput output) {
        server.admin().configResetstat();
        this.contextRunner.withPropertyValues(server.cacheProperties()).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            assertThat(output.getAll()).as("nothing written yet").doesNotContain(WARNING);
            assertCallsHit(service, "asked under volatile-lru");
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains(WARNING));
            assertThat(server.admin().clientKill(KillArgs.Builder.typeNormal())).isPositive();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> service.completion(question("asked under volatile-lru"))
                            .cacheHit());
            assertThat(output.getAll()).containsOnlyOnce(WARNING);
            LlmCache cache = context.getBean(LlmCache.class);
            RedisConnection redis = cache.settings().redis();
            cache.update(cache.settings().toBuilder()
                    .redis(new RedisConnection(redis.host(), redis.port(), null, "other:"))
                    .build());
            service.completion(question("asked of the backend the update made"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> StringUtils.countOccurrencesOf(output.getAll(), WARNING) == 2);
        });
        assertThat(StringUtils.countOccurrencesOf(output.getAll(), WARNING)).isEqualTo(2);
        assertThat(RedisServer.calls(server.admin(), "info"))
                .as("one INFO per backend")
                .isEqualTo(2);
    }

    @Test
    void aVolatilePolicyIsWarnedAboutOnceOnTheApplicationsConnection(CapturedOutput output) {
        this.contextRunner
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues(server.applicationConnectionProperties())
                .run(context -> {
                    assertCallsHit(context.getBean(CompletionService.class), "asked on the application's connection");
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> output.getAll().contains(WARNING));
                    assertThat(output.getAll()).containsOnlyOnce(WARNING);
                });
    }

    @Test
    void entriesWithATtlNeedNoCheck(CapturedOutput output) {
        server.admin().configResetstat();
        this.contextRunner
                .withPropertyValues(server.cacheProperties())
                .withPropertyValues("litellm.cache.ttl=1h")
                .run(context -> assertCallsHit(context.getBean(CompletionService.class), "asked with a ttl"));
        assertThat(RedisServer.calls(server.admin(), "info")).isZero();
        assertThat(output.getAll()).doesNotContain("Redis cannot evict");
    }

    @Test
    void anUpdateThatRemovesTheTtlHasTheBackendAskAtItsFirstWriteWithoutExpiry(CapturedOutput output) {
        server.admin().configResetstat();
        this.contextRunner
                .withPropertyValues(server.cacheProperties())
                .withPropertyValues("litellm.cache.ttl=1h")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    assertCallsHit(service, "asked with a ttl");
                    LlmCache cache = context.getBean(LlmCache.class);
                    CacheBackend backend = cache.backend();
                    cache.update(cache.settings().toBuilder().ttl(null).build());
                    assertThat(cache.backend()).as("the same backend").isSameAs(backend);
                    assertThat(RedisServer.calls(server.admin(), "info")).isZero();

                    service.completion(question("asked without a ttl"));
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> output.getAll().contains(WARNING));
                });
    }

    @Test
    void anAllKeysPolicyIsNotWarnedAbout(CapturedOutput output) {
        server.admin().configSet("maxmemory-policy", "allkeys-lru");
        this.loggingSystem.setLogLevel(EvictionPolicyCheck.class.getName(), LogLevel.DEBUG);
        this.contextRunner.withPropertyValues(server.cacheProperties()).run(context -> {
            assertCallsHit(context.getBean(CompletionService.class), "asked under allkeys-lru");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> output.getAll().contains("maxmemory-policy allkeys-lru can evict"));
        });
        assertThat(output.getAll()).doesNotContain("Redis cannot evict");
    }

    @Test
    void aRedisWithoutMaxmemoryIsToldAtInfoLevelNotWarnedAbout(CapturedOutput output) {
        server.admin().configSet("maxmemory", "0");
        this.contextRunner.withPropertyValues(server.cacheProperties()).run(context -> {
            assertCallsHit(context.getBean(CompletionService.class), "asked without maxmemory");
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains("Redis has no maxmemory"));
        });
        assertThat(output.getAll())
                .containsOnlyOnce("Redis has no maxmemory")
                .doesNotContain("Redis cannot evict")
                .doesNotContain("WARN");
    }

    @Test
    void aUserThatMayNotRunInfoIsNeitherWarnedNorFailedAndCallsStillHit(CapturedOutput output) {
        server.admin().aclLogReset();
        this.loggingSystem.setLogLevel(EvictionPolicyCheck.class.getName(), LogLevel.DEBUG);
        this.contextRunner
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues(
                        "litellm.cache.type=redis",
                        "spring.data.redis.url=redis://litellm-cache:" + PASSWORD + "@127.0.0.1:" + server.port())
                .run(context -> {
                    assertCallsHit(context.getBean(CompletionService.class), "asked by a user without INFO");
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> output.getAll().contains("maxmemory-policy could not be read"));
                    assertThat(context.getBean(CacheStatistics.class).counts().errors())
                            .isZero();
                    assertThat(context.getBean(CompletionService.class)
                                    .completion(question("a second write without expiry"))
                                    .cacheHit())
                            .isFalse();
                });
        assertThat(server.admin().aclLog())
                .as("what Redis refused: the check, once, not asked again")
                .singleElement()
                .satisfies(refused ->
                        assertThat(refused).containsEntry("object", "info").containsEntry("count", 1L));
        assertThat(output.getAll())
                .doesNotContain("Redis cannot evict")
                .doesNotContain("WARN")
                .doesNotContain(PASSWORD);
    }

    @Test
    void aCheckThatRedisLeftUnansweredIsAskedAgainByTheNextWriteWithoutExpiry(CapturedOutput output) {
        this.loggingSystem.setLogLevel(EvictionPolicyCheck.class.getName(), LogLevel.DEBUG);
        try (RedisCacheBackend backend =
                RedisCacheBackend.dedicated("127.0.0.1", server.port(), null, "unanswered:", Duration.ofSeconds(2))) {
            assertThat(backend.get(new CacheKey(null, "connected"))).isNull();
            server.pause();
            try {
                backend.putAsync(new CacheKey(null, "while paused"), CacheEntries.answering("lost"), null)
                        .subscribe(null, error -> {});
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> output.getAll().contains("the next write without expiry asks again"));
            } finally {
                server.resume();
            }
            assertThat(output.getAll()).doesNotContain(WARNING);
            backend.put(new CacheKey(null, "after the pause"), CacheEntries.answering("kept"), null);
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains(WARNING));
        }
        assertThat(output.getAll()).containsOnlyOnce(WARNING);
    }

    @Test
    void aCheckThatABusyScriptPutOffIsAskedAgainByTheNextWriteWithoutExpiry(CapturedOutput output) {
        this.loggingSystem.setLogLevel(EvictionPolicyCheck.class.getName(), LogLevel.DEBUG);
        RedisClient scripts = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        try (RedisCacheBackend backend =
                RedisCacheBackend.dedicated("127.0.0.1", server.port(), null, "busy:", Duration.ofSeconds(2))) {
            assertThat(backend.get(new CacheKey(null, "connected"))).isNull();
            server.admin().configSet("busy-reply-threshold", "100");
            scripts.connect().async().eval("while true do end", ScriptOutputType.STATUS);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> isBusy(server.admin()));
                backend.putAsync(new CacheKey(null, "while busy"), CacheEntries.answering("refused"), null)
                        .subscribe(null, error -> {});
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> output.getAll().contains("(RedisBusyException"));
            } finally {
                server.admin().scriptKill();
                await().atMost(Duration.ofSeconds(10)).until(() -> !isBusy(server.admin()));
                server.admin().configSet("busy-reply-threshold", "5000");
            }
            assertThat(output.getAll()).doesNotContain(WARNING);
            backend.put(new CacheKey(null, "once the script ended"), CacheEntries.answering("kept"), null);
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains(WARNING));
        } finally {
            scripts.shutdown();
        }
        assertThat(output.getAll()).containsOnlyOnce(WARNING);
    }

    /** Whether Redis answers BUSY: a script has run past the {@code busy-reply-threshold}. */
    private static boolean isBusy(RedisCommands<String, String> redis) {
        try {
            redis.ping();
            return false;
        } catch (RedisBusyException busy) {
            return true;
        }
    }

    private void assertCallsHit(CompletionService service, String text) {
        assertThat(service.completion(question(text)).cacheHit()).isFalse();
        assertThat(service.completion(question(text)).cacheHit()).isTrue();
        assertThat(this.provider.requestCount()).isOne();
    }
}
