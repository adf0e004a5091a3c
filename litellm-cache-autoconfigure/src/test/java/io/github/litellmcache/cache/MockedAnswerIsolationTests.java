package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A {@code mockResponse} answer is made up by the caller, not the provider: it must never answer a
 * request that does not carry the same mock text.
 */
class MockedAnswerIsolationTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner = applicationRunner();

    @Disabled(
            "finding: mockResponse is not in the key and mocked answers are stored, so a caller's made-up answer is served to the real request")
    @Test
    void aMockedAnswerIsNeverServedToTheSameRequestWithoutAMock() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("capital of France?", b -> b.mockResponse("Berlin")));

            ChatCompletion real = service.completion(question("capital of France?"));

            assertThat(real.content()).isNotEqualTo("Berlin");
            assertThat(this.provider.requestCount()).isEqualTo(1);
        });
    }

    @Disabled("finding: mockResponse is not in the key, so a mock of one text answers a mock of another")
    @Test
    void aMockedAnswerIsNeverServedToAMockOfAnotherText() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("capital of France?", b -> b.mockResponse("Berlin")));

            ChatCompletion other = service.completion(question("capital of France?", b -> b.mockResponse("Paris")));

            assertThat(other.content()).isEqualTo("Paris");
        });
    }
}
