package io.github.litellmcache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.autoconfigure.LiteLlmCacheAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCompletionAutoConfiguration;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.cache.engine.GuardedBackend;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;

/**
 * An application of the library against the provider fake: {@link #applicationRunner()} runs the library's
 * auto-configurations with OpenAI's endpoint at {@link #provider}, a fresh {@link OpenAiFake} per test, closed after
 * it; {@link #question} is the request a test asks. A test class keeps one {@code contextRunner} field built from
 * {@link #applicationRunner()} with its own properties and auto-configurations (they are merged and ordered).
 *
 * <p>It lives in the library's tests, not in {@code litellm-cache-test-support}: it needs the library's types, and
 * the library's tests cannot use a module that depends on the library (Maven allows no cycle, whatever the scope).
 */
public abstract class AbstractCachedApplicationTests {

    protected final OpenAiFake provider = new OpenAiFake();

    /** The completion and cache auto-configurations, with OpenAI's endpoint at {@link #provider}. */
    protected ApplicationContextRunner applicationRunner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        LiteLlmCompletionAutoConfiguration.class, LiteLlmCacheAutoConfiguration.class))
                .withPropertyValues("litellm.openai.api-base=" + this.provider.apiBase());
    }

    @AfterEach
    void closeProvider() throws IOException {
        this.provider.close();
    }

    /** A one-message chat request to {@code gpt-4o-mini}. */
    protected static ChatCompletionRequest question(String text) {
        return question(text, UnaryOperator.identity());
    }

    /** A one-message chat request to {@code gpt-4o-mini}, with {@code options} applied to its builder. */
    protected static ChatCompletionRequest question(String text, UnaryOperator<ChatCompletionRequest.Builder> options) {
        return options.apply(
                        ChatCompletionRequest.builder().model("gpt-4o-mini").message(ChatMessage.user(text)))
                .build();
    }

    /**
     * {@code count} different questions asked at once, as concurrent traffic asks them, so that their reads, then
     * their writes, reach the backend together: their answers.
     */
    protected static List<ChatCompletion> askedAtOnce(CompletionService service, int count) {
        return Flux.range(0, count)
                .flatMap(i -> service.acompletion(question("asked at once " + i)))
                .collectList()
                .block(Duration.ofSeconds(30));
    }

    /**
     * Stores an entry, has the backend's writes fail ({@code writesFail}), asks {@linkplain #askedAtOnce questions at
     * once} whose writes then fail, and asserts that calls skip writes only: the entry stored before is still a hit.
     */
    protected static void assertFailingWritesSkipOnlyWrites(AssertableApplicationContext context, Runnable writesFail) {
        CompletionService service = context.getBean(CompletionService.class);
        GuardedBackend guarded = context.getBean(BackendGuards.class)
                .guard(context.getBean(LlmCache.class).backend());
        service.completion(question("stored before"));
        assertThat(service.completion(question("stored before")).cacheHit()).isTrue();

        writesFail.run();
        assertThat(askedAtOnce(service, 12)).hasSize(12).noneMatch(ChatCompletion::cacheHit);
        await().atMost(Duration.ofSeconds(10)).until(guarded::areWritesSkipped);

        assertThat(service.completion(question("stored before")).cacheHit())
                .as("reads still served")
                .isTrue();
        assertThat(guarded.isAvailable()).isTrue();
    }

    /** The text of a stream: its chunks' contents, joined. */
    protected static String text(List<ChatCompletionChunk> chunks) {
        return chunks.stream()
                .map(ChatCompletionChunk::content)
                .filter(Objects::nonNull)
                .collect(Collectors.joining());
    }
}
