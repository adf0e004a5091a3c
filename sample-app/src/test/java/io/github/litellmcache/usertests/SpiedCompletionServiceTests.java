package io.github.litellmcache.usertests;

import static io.github.litellmcache.usertests.Answers.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * A {@code @MockitoSpyBean CompletionService} spies on the provider behind the cache: it counts the calls that reached
 * the provider, and its stubbing answers only the calls the cache did not answer.
 */
@SpringBootTest(properties = "litellm.mock.latency=1ms")
class SpiedCompletionServiceTests {

    @MockitoSpyBean
    CompletionService llm;

    @Autowired
    Capitals capitals;

    @BeforeEach
    void clearTheCache(@Autowired LlmCache cache) {
        cache.clear();
    }

    @Test
    void spyCountsTheCallsThatReachedTheProvider() {
        this.capitals.capitalOf("Spain");
        this.capitals.capitalOf("Spain");

        verify(this.llm, times(1)).completion(any(ChatCompletionRequest.class));
    }

    @Test
    void stubbingAnswersOnlyWhatTheCacheDoesNotHave() {
        String cached = this.capitals.capitalOf("Portugal");
        willReturn(answer("Porto")).given(this.llm).completion(any(ChatCompletionRequest.class));

        assertThat(this.capitals.capitalOf("Portugal")).isEqualTo(cached).isNotEqualTo("Porto");
        assertThat(this.capitals.capitalOf("Greece")).isEqualTo("Porto");
    }
}
