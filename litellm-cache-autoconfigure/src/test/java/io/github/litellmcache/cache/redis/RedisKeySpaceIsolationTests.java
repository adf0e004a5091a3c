package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheKeyGenerator;
import io.github.litellmcache.cache.CacheOptions;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.Usage;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * What is stored under one Redis key name must belong to one cache, one namespace and one request:
 * an entry never takes the name of a fleet lease, a key holding {@code :} never takes the name of
 * another namespace's entry, and clearing a cache never removes the entries of a cache whose key
 * prefix extends its own.
 */
class RedisKeySpaceIsolationTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withPropertyValues(server.cacheProperties());

    @Disabled(
            "finding: the entry of namespace 'lock' is stored under the fleet lease name <prefix>lock:<key> of the same request without a namespace, whose leader then waits forever")
    @Test
    void anEntryInTheNamespaceLockDoesNotStallTheSameRequestWithoutANamespace() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question(
                    "capital of France?",
                    builder -> builder.cache(
                            CacheOptions.builder().namespace("lock").build())));

            CompletableFuture<ChatCompletion> withoutNamespace =
                    CompletableFuture.supplyAsync(() -> service.completion(question("capital of France?")));

            assertThat(withoutNamespace)
                    .as("the call without a namespace ends, answered by the provider")
                    .succeedsWithin(Duration.ofSeconds(10));
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }

    @Disabled(
            "finding: CacheKey.qualified() is <namespace>:<key> or the key alone, so key 'acme:bob:...' without a namespace is the stored name of key 'bob:...' in namespace acme")
    @Test
    void aCustomKeyHoldingAColonIsNotServedAnotherNamespacesEntry() {
        this.contextRunner
                .withBean(
                        CacheKeyGenerator.class,
                        () -> (callType, request) -> request.params().get("user") + ":"
                                + ((ChatCompletionRequest) request)
                                        .messages()
                                        .get(0)
                                        .content())
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    ChatCompletion acme = service.completion(question(
                            "capital of France?",
                            builder -> builder.user("bob")
                                    .cache(CacheOptions.builder()
                                            .namespace("acme")
                                            .build())));

                    ChatCompletion other =
                            service.completion(question("capital of France?", builder -> builder.user("acme:bob")));

                    assertThat(other.cacheHit())
                            .as("an entry of the namespace acme served outside it")
                            .isFalse();
                    assertThat(other.id()).isNotEqualTo(acme.id());
                    assertThat(this.provider.requestCount()).isEqualTo(2);
                });
    }

    @Disabled(
            "finding: clear() unlinks <prefix>*, which holds every key of a cache whose prefix extends this one (litellm:team-b:)")
    @Test
    void clearLeavesTheEntriesOfACacheWhoseKeyPrefixExtendsItsOwn() {
        try (RedisCacheBackend outer = RedisCacheBackend.dedicated(
                        "127.0.0.1", server.port(), null, "litellm:", Duration.ofSeconds(2));
                RedisCacheBackend inner = RedisCacheBackend.dedicated(
                        "127.0.0.1", server.port(), null, "litellm:team-b:", Duration.ofSeconds(2))) {
            CacheKey key = new CacheKey(null, "a".repeat(64));
            inner.put(key, entry("team b's answer"), null);

            outer.clear();

            assertThat(inner.get(key))
                    .as("the entry of the cache with key prefix litellm:team-b:")
                    .isNotNull();
        }
    }

    private static CacheEntry entry(String content) {
        ChatCompletion completion = new ChatCompletion(
                "chatcmpl-1",
                1_700_000_000L,
                "gpt-4o-mini",
                List.of(new ChatCompletion.Choice(0, ChatMessage.assistant(content), "stop")),
                new Usage(5, 7, 12),
                null);
        return new CacheEntry(completion, Instant.now());
    }
}
