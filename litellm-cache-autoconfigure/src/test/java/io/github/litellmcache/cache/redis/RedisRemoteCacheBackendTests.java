package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.AbstractRemoteCacheBackendTests;
import io.github.litellmcache.cache.CacheOptions;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.CallLoad;
import io.github.litellmcache.testsupport.RedisServer;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The starter with {@code litellm.cache.type=redis} against a real redis-server process: the remote-backend contract
 * on a dedicated connection, then what is Redis's own (the application's connection, keys and their TTL, passwords,
 * a Redis that is down at startup or paused, switching at runtime).
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisRemoteCacheBackendTests extends AbstractRemoteCacheBackendTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    RedisRemoteCacheBackendTests() {
        super(
                server,
                runner -> runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                        .withPropertyValues(server.cacheProperties()));
    }

    @Test
    void applicationsOwnConnectionFactoryIsUsedWithoutAHost() {
        applicationRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues(
                        "litellm.cache.type=redis", "spring.data.redis.url=redis://127.0.0.1:" + server.port() + "/3")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    service.completion(question("q"));
                    assertThat(service.completion(question("q")).cacheHit()).isTrue();
                    server.admin().select(3);
                    try {
                        assertThat(server.admin().keys("litellm:*"))
                                .as("in database 3")
                                .hasSize(1);
                    } finally {
                        server.admin().select(0);
                    }
                });
    }

    @Test
    void aPasswordOrPortWithoutAHostIsWarnedAboutWithoutItsValueAsTheApplicationsConnectionIsUsed(
            CapturedOutput output) {
        applicationRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues(
                        "litellm.cache.type=redis",
                        "litellm.cache.redis.password=never-shown-pw",
                        "litellm.cache.redis.port=6390",
                        "spring.data.redis.url=redis://127.0.0.1:" + server.port())
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    service.completion(question("q"));
                    assertThat(service.completion(question("q")).cacheHit()).isTrue();
                });
        assertThat(output.getAll())
                .contains("litellm.cache.redis.host is not: the cache uses the application's Redis connection")
                .doesNotContain("never-shown-pw");
    }

    @Test
    void applicationStartsWhileRedisIsDownAndCallsSucceed() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        storeRunner()
                .withPropertyValues("litellm.cache.redis.port=" + closedPort)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    CompletionService service = context.getBean(CompletionService.class);
                    assertThat(service.completion(question("q")).content()).endsWith("q");
                    assertThat(service.acompletion(question("q")).block().content())
                            .endsWith("q");
                    assertThat(this.provider.requestCount()).isEqualTo(2);
                });
    }

    @Test
    void stoppingRedisUnderLoadFailsNoCallAndBoundsLatencyAndHitsResumeAfterARestartOnTheApplicationsConnection() {
        outageUnderLoad(applicationRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues(server.applicationConnectionProperties()));
    }

    @Test
    void pausedRedisDelaysCallsByAtMostTheTimeout() {
        this.provider.latency(PROVIDER_LATENCY);
        storeRunner()
                .withPropertyValues(
                        "litellm.cache.timeout=" + TIMEOUT.toMillis() + "ms", "litellm.cache.cooldown=500ms")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    assertThat(CallLoad.warmUp(service).failures()).isEmpty();
                    server.admin().clientPause(3_000);
                    for (int i = 0; i < 4; i++) {
                        long start = System.nanoTime();
                        ChatCompletion answer = (i % 2 == 0)
                                ? service.completion(question("during the pause " + i))
                                : service.acompletion(question("during the pause " + i))
                                        .block();
                        assertThat(answer.content()).endsWith("during the pause " + i);
                        assertThat(Duration.ofNanos(System.nanoTime() - start))
                                .isLessThanOrEqualTo(
                                        PROVIDER_LATENCY.plus(TIMEOUT).plus(MARGIN));
                    }
                });
    }

    @Test
    void keysHavePrefixAndNamespaceAndNoPromptText() {
        storeRunner().withPropertyValues("litellm.cache.namespace=app").run(context -> {
            ChatCompletion answer = askedInTwoNamespaces(context.getBean(CompletionService.class));
            // The fleet lease of each miss is released in the background, after the call returned.
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(server.admin().keys("*"))
                            .containsExactlyInAnyOrder(
                                    "litellm:app:" + answer.cacheKey(), "litellm:team:" + answer.cacheKey())
                            .allSatisfy(key ->
                                    assertThat(key).doesNotContain("secret").matches("litellm:\\w+:[0-9a-f]{64}")));
        });
    }

    @Test
    void pttlFollowsTheConfiguredAndThePerRequestTtl() {
        storeRunner().withPropertyValues("litellm.cache.ttl=10m").run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletion configured = service.completion(question("a"));
            ChatCompletion perRequest = service.completion(question(
                    "b",
                    b -> b.cache(
                            CacheOptions.builder().ttl(Duration.ofSeconds(30)).build())));
            assertThat(server.admin().pttl("litellm:" + configured.cacheKey())).isBetween(595_000L, 600_000L);
            assertThat(server.admin().pttl("litellm:" + perRequest.cacheKey())).isBetween(25_000L, 30_000L);
        });
    }

    @Test
    void entriesDoNotExpireWithoutATtl() {
        storeRunner().run(context -> {
            ChatCompletion answer = context.getBean(CompletionService.class).completion(question("a"));
            assertThat(server.admin().pttl("litellm:" + answer.cacheKey())).isEqualTo(-1L);
        });
    }

    @Test
    void clearLeavesForeignKeysUntouched() {
        storeRunner().run(context -> {
            server.admin().set("sessions:42", "keep");
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("a"));
            service.completion(question("b"));
            context.getBean(LlmCache.class).clear();
            assertThat(server.admin().keys("*")).containsExactly("sessions:42");
            assertThat(service.completion(question("a")).cacheHit()).isFalse();
        });
    }

    @Test
    void corruptValueIsAMissAndIsRepaired() {
        storeRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletion first = service.completion(question("a"));
            server.admin().set("litellm:" + first.cacheKey(), "garbage{");
            ChatCompletion second = service.completion(question("a"));
            assertThat(second.cacheHit()).isFalse();
            assertThat(second.id()).isNotEqualTo(first.id());
            assertThat(service.completion(question("a")).id()).isEqualTo(second.id());
            assertThat(server.admin().get("litellm:" + first.cacheKey())).startsWith("{\"format\":2");
        });
    }

    @Test
    void passwordProtectedRedisWorksThroughThePasswordProperty() {
        try (RedisServer secured = RedisServer.launch("--requirepass", "s3cret-pass")) {
            storeRunner()
                    .withPropertyValues(
                            "litellm.cache.redis.port=" + secured.port(), "litellm.cache.redis.password=s3cret-pass")
                    .run(context -> {
                        CompletionService service = context.getBean(CompletionService.class);
                        service.completion(question("q"));
                        assertThat(service.completion(question("q")).cacheHit()).isTrue();
                    });
        }
    }

    @Test
    void wrongPasswordIsALoggedWarningAndCallsStillSucceed(CapturedOutput output) {
        try (RedisServer secured = RedisServer.launch("--requirepass", "right-pass")) {
            storeRunner()
                    .withPropertyValues(
                            "litellm.cache.redis.port=" + secured.port(), "litellm.cache.redis.password=wrong-pass")
                    .run(context -> {
                        CompletionService service = context.getBean(CompletionService.class);
                        assertThat(service.completion(question("q")).content()).isNotNull();
                        assertThat(service.completion(question("q")).cacheHit()).isFalse();
                        assertThat(service.acompletion(question("q")).block().content())
                                .isNotNull();
                        assertThat(this.provider.requestCount()).isEqualTo(3);
                    });
        }
        assertThat(output)
                .contains("WARN")
                .contains("redis")
                .doesNotContain("wrong-pass")
                .doesNotContain("right-pass");
    }

    @Test
    void updateSwitchesBetweenLocalAndRedisAtRuntimeAndClosesTheUnusedConnection() {
        storeRunner().withPropertyValues("litellm.cache.type=local").run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            service.completion(question("q"));
            assertThat(server.admin().keys("*")).isEmpty();
            cache.update(CacheSettings.builder()
                    .type(CacheType.REDIS)
                    .host("127.0.0.1")
                    .port(server.port())
                    .build());
            assertThat(service.completion(question("q")).cacheHit())
                    .as("redis holds nothing yet")
                    .isFalse();
            assertThat(service.completion(question("q")).cacheHit()).isTrue();
            assertThat(server.admin().keys("litellm:*")).hasSize(1);
            long withRedis = clients();
            cache.update(CacheSettings.defaults());
            assertThat(service.completion(question("q")).cacheHit())
                    .as("a new local cache")
                    .isFalse();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (clients() >= withRedis && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(clients()).as("the Redis connection was closed").isLessThan(withRedis);
        });
    }

    private static long clients() {
        return List.of(server.admin().clientList().split("\n")).size();
    }
}
