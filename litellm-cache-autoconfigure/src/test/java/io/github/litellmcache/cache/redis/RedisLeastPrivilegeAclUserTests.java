package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.actuate.LlmCacheHealthIndicator;
import io.github.litellmcache.autoconfigure.LiteLlmCacheHealthAutoConfiguration;
import io.github.litellmcache.cache.CacheStatistics;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.near.NearCacheBackend;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.OpenAiFake;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;

/**
 * The cache through {@code spring.data.redis.url} with an ACL user given only what the README's list names: the
 * commands, the keys under the key prefix and the channels under it. Entries, embedding items, {@code clear()}, the
 * fleet's leases and messages, the near tier and the health check all work, Redis refuses nothing but the
 * {@code INFO} of the eviction policy check (its {@code ACL LOG} holds that one entry), and the password is never
 * shown.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisLeastPrivilegeAclUserTests extends AbstractCachedApplicationTests {

    private static final String PASSWORD = "acl-pw-8f3b27";

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension(withReadmeAclUser(PASSWORD));

    /**
     * The arguments of a redis-server with the README's ACL user, whose password is {@code password}, after
     * {@code others}: the README's list as {@code ACL SETUSER} arguments.
     */
    static String[] withReadmeAclUser(String password, String... others) {
        return Stream.concat(
                        Arrays.stream(others),
                        Stream.of(
                                "--user",
                                "litellm-cache",
                                "on",
                                ">" + password,
                                "resetkeys",
                                "~litellm:*",
                                "resetchannels",
                                "&litellm:*",
                                "-@all",
                                "+hello",
                                "+ping",
                                "+select",
                                "+get",
                                "+set",
                                "+mget",
                                "+scan",
                                "+unlink",
                                "+eval",
                                "+pexpire",
                                "+del",
                                "+publish",
                                "+subscribe",
                                "+unsubscribe",
                                "+client|setname",
                                "+client|tracking"))
                .toArray(String[]::new);
    }

    private final ApplicationContextRunner contextRunner = onTheApplicationConnectionWithANearTier(applicationRunner())
            .withPropertyValues(
                    "spring.data.redis.url=redis://litellm-cache:" + PASSWORD + "@127.0.0.1:" + server.port() + "/2");

    /** {@code runner} with the cache on the application's Redis connection, a near tier and the health indicator. */
    static ApplicationContextRunner onTheApplicationConnectionWithANearTier(ApplicationContextRunner runner) {
        return runner.withConfiguration(AutoConfigurations.of(
                        DataRedisAutoConfiguration.class, LiteLlmCacheHealthAutoConfiguration.class))
                .withPropertyValues(
                        "litellm.cache.type=redis", "litellm.cache.timeout=2s", "litellm.cache.near.enabled=true");
    }

    @Test
    void everyFeatureWorksWithAUserAllowedOnlyTheListedCommandsKeysAndChannels(CapturedOutput output) {
        this.contextRunner.run(context -> everyFeatureWorks(context, this.provider));
        assertThat(server.admin().aclLog())
                .as("what Redis refused, shutdown included: only the eviction policy check, once")
                .singleElement()
                .satisfies(refused -> assertThat(refused).containsEntry("object", "info"));
        assertThat(output.getAll()).doesNotContain(PASSWORD);
    }

    /**
     * Entries, the single flight of two identical calls, embedding items, health, {@code clear()} and the near tier work
     * in {@code context}, with no backend error: {@code provider} is asked three times.
     */
    static void everyFeatureWorks(ApplicationContext context, OpenAiFake provider) {
        CompletionService service = context.getBean(CompletionService.class);
        NearCacheBackend near =
                (NearCacheBackend) context.getBean(LlmCache.class).backend();
        await().atMost(Duration.ofSeconds(10)).until(near::isNearTierInUse);
        provider.latency(Duration.ofMillis(300));
        List<CompletableFuture<ChatCompletion>> calls = List.of(
                service.acompletion(question("least privilege")).toFuture(),
                service.acompletion(question("least privilege")).toFuture());
        calls.forEach(CompletableFuture::join);
        assertThat(service.completion(question("least privilege")).cacheHit()).isTrue();
        assertThat(service.embedding("text-embedding-3-small", List.of("a", "b"))
                        .cacheHit())
                .isFalse();
        assertThat(service.embedding("text-embedding-3-small", List.of("a", "b"))
                        .cacheHit())
                .isTrue();
        assertThat(context.getBean(LlmCacheHealthIndicator.class).health().getStatus())
                .isEqualTo(Status.UP);
        context.getBean(LlmCache.class).clear();
        assertThat(service.completion(question("least privilege")).cacheHit()).isFalse();
        assertThat(context.getBean(CacheStatistics.class).counts().errors()).isZero();
        assertThat(provider.requestCount()).isEqualTo(3);
        provider.latency(Duration.ZERO);
    }
}
