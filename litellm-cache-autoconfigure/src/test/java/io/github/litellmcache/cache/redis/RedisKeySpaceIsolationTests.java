package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheKeyGenerator;
import io.github.litellmcache.cache.CacheOptions;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * What is stored under one Redis key name must belong to one cache, one namespace and one request:
 * an entry never takes the name of a fleet lease, and a key holding {@code :} never takes the name of
 * another namespace's entry.
 */
class RedisKeySpaceIsolationTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withPropertyValues(server.cacheProperties());

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
}
