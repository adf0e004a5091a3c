package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheOptions;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Two instances on one Redis, fleet single flight on: a call never waits for, nor takes the answer of, an
 * identical call that another instance leads for another namespace or for other per-request credentials,
 * as no local flight joins them either. Each such call is a miss answered by its own provider request.
 */
class FleetLeaseOfOtherCallersTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withPropertyValues(server.cacheProperties());

    @Test
    void aCallWithAnotherApiKeyOnAnotherInstanceMakesItsOwnCallWhileTheLeaseIsHeld() {
        assertSecondCallerMakesItsOwnCall(
                builder -> builder.apiKey("sk-alice"), builder -> builder.apiKey("sk-mallory"));
    }

    @Test
    void aCallInAnotherNamespaceOnAnotherInstanceMakesItsOwnCallWhileTheLeaseIsHeld() {
        assertSecondCallerMakesItsOwnCall(
                builder ->
                        builder.cache(CacheOptions.builder().namespace("alice").build()),
                builder -> builder.cache(
                        CacheOptions.builder().namespace("mallory").build()));
    }

    /**
     * The first caller's call leads on one instance and holds its lease while the provider answers slowly;
     * the second caller asks the same on the other instance meanwhile.
     */
    private void assertSecondCallerMakesItsOwnCall(
            UnaryOperator<ChatCompletionRequest.Builder> first, UnaryOperator<ChatCompletionRequest.Builder> second) {
        this.contextRunner.run(one -> this.contextRunner.run(other -> {
            this.provider.latency(Duration.ofSeconds(2));
            CompletableFuture<ChatCompletion> leading = one.getBean(CompletionService.class)
                    .acompletion(question("what did the board decide?", first))
                    .toFuture();
            this.provider.awaitRequests(1);

            ChatCompletion answer =
                    other.getBean(CompletionService.class).completion(question("what did the board decide?", second));

            assertThat(answer.cacheHit()).isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(2);
            assertThat(leading).succeedsWithin(Duration.ofSeconds(10));
            assertThat(answer.id()).isNotEqualTo(leading.join().id());
        }));
    }
}
