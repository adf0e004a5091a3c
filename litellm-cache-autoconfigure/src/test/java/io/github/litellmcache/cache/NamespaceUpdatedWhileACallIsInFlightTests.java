package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.AnsweringWhenLet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A call in flight when {@link LlmCache#update} changes the namespace finishes under the namespace it started with: an
 * identical call made after the update neither joins it nor takes its answer, and its answer is stored under the old
 * namespace only.
 */
class NamespaceUpdatedWhileACallIsInFlightTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withUserConfiguration(AnsweringWhenLet.class);

    @Test
    void aCallAfterTheUpdateNeitherJoinsNorIsAnsweredByTheCallOfTheOldNamespace() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            AnsweringWhenLet provider = context.getBean(AnsweringWhenLet.class);
            ChatCompletionRequest request = question("what did the board decide?");
            cache.update(cache.settings().toBuilder().namespace("old").build());
            CompletableFuture<ChatCompletion> before =
                    service.acompletion(request).toFuture();
            await().atMost(Duration.ofSeconds(10)).until(() -> provider.entered.get() == 1);

            cache.update(cache.settings().toBuilder().namespace("new").build());
            CompletableFuture<ChatCompletion> after =
                    service.acompletion(request).toFuture();
            await().atMost(Duration.ofSeconds(10))
                    .alias("the call after the update, made on its own")
                    .until(() -> provider.entered.get() == 2);
            provider.answer.countDown();

            ChatCompletion oldAnswer = before.get(10, TimeUnit.SECONDS);
            ChatCompletion newAnswer = after.get(10, TimeUnit.SECONDS);
            assertThat(newAnswer.cacheHit()).isFalse();
            assertThat(newAnswer.id()).isNotEqualTo(oldAnswer.id());
            assertThat(service.completion(request).id())
                    .as("the new namespace's entry")
                    .isEqualTo(newAnswer.id());
            cache.update(cache.settings().toBuilder().namespace("old").build());
            assertThat(service.completion(request).id())
                    .as("the old namespace's entry")
                    .isEqualTo(oldAnswer.id());
        });
    }
}
