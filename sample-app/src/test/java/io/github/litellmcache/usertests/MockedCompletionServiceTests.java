package io.github.litellmcache.usertests;

import static io.github.litellmcache.usertests.Answers.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * A {@code @MockitoBean CompletionService} replaces the cached service: no cache stands in front of the mock, so each
 * test's stubbing answers the same question, whichever test of the shared context asked it before.
 */
@SpringBootTest
class MockedCompletionServiceTests {

    @MockitoBean
    CompletionService llm;

    @Autowired
    Capitals capitals;

    @Test
    void oneTestsStubbingAnswersTheQuestion() {
        given(this.llm.completion(any(ChatCompletionRequest.class))).willReturn(answer("Paris"));

        assertThat(this.capitals.capitalOf("France")).isEqualTo("Paris");
        then(this.llm).should().completion(any(ChatCompletionRequest.class));
    }

    @Test
    void anotherTestsStubbingAnswersTheSameQuestion() {
        given(this.llm.completion(any(ChatCompletionRequest.class))).willReturn(answer("Lyon"));

        assertThat(this.capitals.capitalOf("France")).isEqualTo("Lyon");
        then(this.llm).should().completion(any(ChatCompletionRequest.class));
    }
}
