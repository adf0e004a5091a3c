package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.autoconfigure.LiteLlmCacheAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCompletionAutoConfiguration;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServer;
import io.github.litellmcache.testsupport.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The cache on a Redis database other than 0, through the application's connection factory
 * ({@code spring.data.redis.database}): its entries are written, read and cleared in that database only, its instances
 * make one provider call for the fleet, and a deployment on another database of the same server, with the same key
 * prefix, never stands in for this one's leader (Redis's pub/sub channels are shared by all databases).
 */
class RedisOnAnotherDatabaseTests extends AbstractCachedApplicationTests {

    private static final int DATABASE = 3;

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopInstances() {
        this.instances.forEach(ConfigurableApplicationContext::close);
        this.callers.shutdownNow();
    }

    @Test
    void entriesAreWrittenHitAndClearedInTheConfiguredDatabaseOnly() {
        server.admin().set("litellm:of-database-0", "keep");
        CompletionService service = instance(DATABASE);
        try (Database database = new Database(DATABASE)) {
            database.redis().set("foreign", "keep");
            ChatCompletion first = service.completion(question("which database?"));
            assertThat(service.completion(question("which database?")).cacheHit())
                    .isTrue();
            assertThat(database.redis().exists("litellm:" + first.cacheKey())).isEqualTo(1);
            assertThat(server.admin().exists("litellm:" + first.cacheKey())).isZero();

            this.instances.get(0).getBean(LlmCache.class).clear();

            assertThat(database.redis().keys("*")).containsExactly("foreign");
            assertThat(server.admin().get("litellm:of-database-0")).isEqualTo("keep");
        }
    }

    @Test
    void identicalCallsOnTwoInstancesOfTheDatabaseMakeOneProviderCall() {
        CompletionService first = instance(DATABASE);
        CompletionService second = instance(DATABASE);
        int before = this.provider.requestCount();
        this.provider.latency(Duration.ofMillis(500));

        List<ChatCompletion> answers = List.of(first, second, first, second).stream()
                .map(service -> ask(service, question("one call for the fleet")))
                .toList()
                .stream()
                .map(CompletableFuture::join)
                .toList();

        assertThat(answers)
                .extracting(ChatCompletion::id)
                .containsOnly(answers.get(0).id());
        assertThat(this.provider.requestCount()).isEqualTo(before + 1);
    }

    /**
     * An instance on database 0 waits for the leader of the same key on another instance of database 0; meanwhile a
     * deployment on {@link #DATABASE} answers the same key at once (a mock response, keyed as the same request) and
     * says so on the channel both deployments hear. The waiting instance keeps waiting for its own leader.
     */
    @Test
    void aCallEndedOnAnotherDatabaseDoesNotSendThisDatabasesWaitingInstancesToTheProvider() {
        CompletionService leader = instance(0);
        CompletionService waiter = instance(0);
        CompletionService elsewhere = instance(DATABASE);
        int before = this.provider.requestCount();
        this.provider.latency(Duration.ofSeconds(2));
        ChatCompletionRequest request = question("asked on two databases");

        CompletableFuture<ChatCompletion> led = ask(leader, request);
        await().atMost(Duration.ofSeconds(10)).until(() -> this.provider.requestCount() == before + 1);
        long leaseAttempts = RedisServer.calls(server.admin(), "set");
        CompletableFuture<ChatCompletion> waited = ask(waiter, request);
        await().atMost(Duration.ofSeconds(10)).until(() -> RedisServer.calls(server.admin(), "set") > leaseAttempts);
        ChatCompletion mocked = elsewhere.completion(question(
                "asked on two databases", builder -> builder.mockResponse("answered on database " + DATABASE)));

        assertThat(mocked.cacheKey()).isEqualTo(led.join().cacheKey());
        assertThat(waited.join().id()).isEqualTo(led.join().id());
        assertThat(this.provider.requestCount()).isEqualTo(before + 1);
    }

    private CompletableFuture<ChatCompletion> ask(CompletionService service, ChatCompletionRequest request) {
        return CompletableFuture.supplyAsync(() -> service.completion(request), this.callers)
                .orTimeout(30, TimeUnit.SECONDS);
    }

    /** An instance of the application on {@code database}, warmed up by one call of its own (a provider request). */
    private CompletionService instance(int database) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Instance.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .properties(server.applicationConnectionProperties())
                .properties(
                        "spring.data.redis.database=" + database,
                        "litellm.openai.api-base=" + this.provider.apiBase(),
                        "litellm.request-timeout=30s",
                        "litellm.cache.timeout=2s")
                .run();
        this.instances.add(context);
        CompletionService service = context.getBean(CompletionService.class);
        service.completion(question("warm-up of instance " + this.instances.size()));
        return service;
    }

    /** A connection of the test's own to one database of the server. */
    private record Database(RedisClient client, StatefulRedisConnection<String, String> connection)
            implements AutoCloseable {

        Database(int database) {
            this(RedisClient.create(RedisURI.builder()
                    .withHost("127.0.0.1")
                    .withPort(server.port())
                    .withDatabase(database)
                    .build()));
        }

        private Database(RedisClient client) {
            this(client, client.connect());
        }

        RedisCommands<String, String> redis() {
            return this.connection.sync();
        }

        @Override
        public void close() {
            this.connection.close();
            this.client.shutdown();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({
        DataRedisAutoConfiguration.class,
        LiteLlmCompletionAutoConfiguration.class,
        LiteLlmCacheAutoConfiguration.class
    })
    static class Instance {}
}
