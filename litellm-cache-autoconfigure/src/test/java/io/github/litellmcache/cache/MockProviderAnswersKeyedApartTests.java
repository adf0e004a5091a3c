package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.OpenAiFake;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/**
 * The built-in mock provider ({@code litellm.mock.enabled}) answers every call with text of its own: its answers are
 * keyed apart from a real provider's, so that a store shared across runs (the sample app on Redis, first with the
 * mock, then with OpenAI) never serves a mock answer as the provider's, nor the reverse.
 */
class MockProviderAnswersKeyedApartTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private ApplicationContextRunner onSharedRedis(boolean mocked) {
        return applicationRunner()
                .withPropertyValues(redis.cacheProperties())
                .withPropertyValues("litellm.openai.api-key=sk-test-secret-key", "litellm.mock.enabled=" + mocked);
    }

    private static CompletionService service(ApplicationContext context) {
        return context.getBean(CompletionService.class);
    }

    @Test
    void aCompletionTheMockAnsweredIsNeverServedToTheRealProvidersCall() {
        onSharedRedis(true).run(context -> {
            ChatCompletion mocked = service(context).completion(question("What is the capital of France?"));
            assertThat(mocked.content()).startsWith("This is a mock response");
            assertThat(service(context)
                            .completion(question("What is the capital of France?"))
                            .cacheHit())
                    .as("the mock's answers are cached among themselves")
                    .isTrue();
        });
        onSharedRedis(false).run(context -> {
            ChatCompletion real = service(context).completion(question("What is the capital of France?"));
            assertThat(real.cacheHit()).isFalse();
            assertThat(real.content()).doesNotStartWith("This is a mock response");
            assertThat(this.provider.requestCount()).isOne();
        });
        onSharedRedis(true)
                .run(context -> assertThat(service(context)
                                .completion(question("What is the capital of France?"))
                                .content())
                        .as("the provider's answer is not the mock's either")
                        .startsWith("This is a mock response"));
    }

    @Test
    void anEmbeddingItemTheMockAnsweredIsNeverServedToTheRealProvidersCall() {
        EmbeddingRequest request = EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input(List.of("hello"))
                .build();
        onSharedRedis(true)
                .run(context -> assertThat(service(context).embedding(request).cacheHit())
                        .isFalse());
        onSharedRedis(false).run(context -> {
            EmbeddingResponse real = service(context).embedding(request);
            assertThat(real.cacheHit()).isFalse();
            assertThat(real.data().get(0).embedding()).containsExactly(OpenAiFake.vectorArrayOf("hello"));
            assertThat(this.provider.requestCount()).isOne();
        });
    }
}
