package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.autoconfigure.LiteLlmCacheAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCompletionAutoConfiguration;
import io.github.litellmcache.cache.CacheOptions;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.OpenAiFake;
import io.github.litellmcache.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The starter with {@code litellm.cache.type=redis} against a real redis-server process. */
@ExtendWith(OutputCaptureExtension.class)
class RedisCacheIntegrationTests {

    private static RedisServer server;

    private static RedisClient rawClient;

    private static StatefulRedisConnection<String, String> raw;

    private final OpenAiFake provider = new OpenAiFake();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataRedisAutoConfiguration.class,
                    LiteLlmCompletionAutoConfiguration.class,
                    LiteLlmCacheAutoConfiguration.class))
            .withPropertyValues(
                    "litellm.openai.api-base=" + this.provider.apiBase(),
                    "litellm.cache.type=redis",
                    "litellm.cache.redis.host=127.0.0.1",
                    "litellm.cache.redis.port=" + server.port());

    @BeforeAll
    static void startRedis() {
        server = RedisServer.launch();
        rawClient = RedisClient.create("redis://127.0.0.1:" + server.port());
        raw = rawClient.connect();
    }

    @AfterAll
    static void stopRedis() {
        raw.close();
        rawClient.shutdown();
        server.close();
    }

    @BeforeEach
    void emptyRedis() {
        redis().flushall();
    }

    @AfterEach
    void stopProvider() throws Exception {
        this.provider.close();
    }

    private static RedisCommands<String, String> redis() {
        return raw.sync();
    }

    private static ChatCompletionRequest question(String text) {
        return question(text, UnaryOperator.identity());
    }

    private static ChatCompletionRequest question(String text, UnaryOperator<ChatCompletionRequest.Builder> options) {
        return options.apply(
                        ChatCompletionRequest.builder().model("gpt-4o-mini").message(ChatMessage.user(text)))
                .build();
    }

    @Test
    void twoInstancesShareEntries() {
        this.contextRunner.run(first -> this.contextRunner.run(second -> {
            ChatCompletion original = first.getBean(CompletionService.class).completion(question("shared prompt"));
            ChatCompletion fromOtherInstance =
                    second.getBean(CompletionService.class).completion(question("shared prompt"));
            assertThat(fromOtherInstance.cacheHit()).isTrue();
            assertThat(fromOtherInstance.id()).isEqualTo(original.id());
            assertThat(fromOtherInstance.content()).isEqualTo(original.content());
            assertThat(second.getBean(CompletionService.class)
                            .acompletion(question("shared prompt"))
                            .block()
                            .cacheHit())
                    .isTrue();
            assertThat(this.provider.requestCount()).isEqualTo(1);
        }));
    }

    @Test
    void applicationsOwnConnectionFactoryIsUsedWithoutAHost() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        DataRedisAutoConfiguration.class,
                        LiteLlmCompletionAutoConfiguration.class,
                        LiteLlmCacheAutoConfiguration.class))
                .withPropertyValues(
                        "litellm.openai.api-base=" + this.provider.apiBase(),
                        "litellm.cache.type=redis",
                        "spring.data.redis.url=redis://127.0.0.1:" + server.port() + "/3")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    service.completion(question("q"));
                    assertThat(service.completion(question("q")).cacheHit()).isTrue();
                    redis().select(3);
                    try {
                        assertThat(redis().keys("litellm:*"))
                                .as("in database 3")
                                .hasSize(1);
                    } finally {
                        redis().select(0);
                    }
                });
    }

    @Test
    void applicationStartsWhileRedisIsDownAndCallsSucceed() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        this.contextRunner
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
    void keysHavePrefixAndNamespaceAndNoPromptText() {
        this.contextRunner.withPropertyValues("litellm.cache.namespace=app").run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletion answer = service.completion(question("my secret prompt"));
            service.completion(question(
                    "my secret prompt",
                    b -> b.cache(CacheOptions.builder().namespace("team").build())));
            assertThat(redis().keys("*"))
                    .containsExactlyInAnyOrder("litellm:app:" + answer.cacheKey(), "litellm:team:" + answer.cacheKey())
                    .allSatisfy(key -> assertThat(key).doesNotContain("secret").matches("litellm:\\w+:[0-9a-f]{64}"));
        });
    }

    @Test
    void pttlFollowsTheConfiguredAndThePerRequestTtl() {
        this.contextRunner.withPropertyValues("litellm.cache.ttl=10m").run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletion configured = service.completion(question("a"));
            ChatCompletion perRequest = service.completion(question(
                    "b",
                    b -> b.cache(
                            CacheOptions.builder().ttl(Duration.ofSeconds(30)).build())));
            assertThat(redis().pttl("litellm:" + configured.cacheKey())).isBetween(595_000L, 600_000L);
            assertThat(redis().pttl("litellm:" + perRequest.cacheKey())).isBetween(25_000L, 30_000L);
        });
    }

    @Test
    void entriesDoNotExpireWithoutATtl() {
        this.contextRunner.run(context -> {
            ChatCompletion answer = context.getBean(CompletionService.class).completion(question("a"));
            assertThat(redis().pttl("litellm:" + answer.cacheKey())).isEqualTo(-1L);
        });
    }

    @Test
    void clearLeavesForeignKeysUntouched() {
        this.contextRunner.run(context -> {
            redis().set("sessions:42", "keep");
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("a"));
            service.completion(question("b"));
            context.getBean(LlmCache.class).clear();
            assertThat(redis().keys("*")).containsExactly("sessions:42");
            assertThat(service.completion(question("a")).cacheHit()).isFalse();
        });
    }

    @Test
    void corruptValueIsAMissAndIsRepaired() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletion first = service.completion(question("a"));
            redis().set("litellm:" + first.cacheKey(), "garbage{");
            ChatCompletion second = service.completion(question("a"));
            assertThat(second.cacheHit()).isFalse();
            assertThat(second.id()).isNotEqualTo(first.id());
            assertThat(service.completion(question("a")).id()).isEqualTo(second.id());
            assertThat(redis().get("litellm:" + first.cacheKey())).startsWith("{\"format\":2");
        });
    }

    @Test
    void passwordProtectedRedisWorksThroughThePasswordProperty() {
        try (RedisServer secured = RedisServer.launch("--requirepass", "s3cret-pass")) {
            this.contextRunner
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
            this.contextRunner
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
        this.contextRunner.withPropertyValues("litellm.cache.type=local").run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            service.completion(question("q"));
            assertThat(redis().keys("*")).isEmpty();
            cache.update(CacheSettings.builder()
                    .type(CacheType.REDIS)
                    .host("127.0.0.1")
                    .port(server.port())
                    .build());
            assertThat(service.completion(question("q")).cacheHit())
                    .as("redis holds nothing yet")
                    .isFalse();
            assertThat(service.completion(question("q")).cacheHit()).isTrue();
            assertThat(redis().keys("litellm:*")).hasSize(1);
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
        return List.of(redis().clientList().split("\n")).size();
    }
}
