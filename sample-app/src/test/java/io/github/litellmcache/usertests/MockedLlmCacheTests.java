package io.github.litellmcache.usertests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.then;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/** A {@code @MockitoBean LlmCache}, to verify what the application asks of it: the service's calls are not cached. */
@SpringBootTest(properties = "litellm.mock.latency=1ms")
class MockedLlmCacheTests {

    @MockitoBean
    LlmCache cache;

    @Autowired
    Capitals capitals;

    @Autowired
    CompletionService llm;

    @Test
    void applicationsUseOfTheCacheCanBeVerified() {
        this.capitals.forget();

        then(this.cache).should().clear();
    }

    @Test
    void callsAreAnsweredWithoutTheCache() {
        ChatCompletion first = this.llm.completion(CapitalApplication.question("Greece"));
        ChatCompletion second = this.llm.completion(CapitalApplication.question("Greece"));

        assertThat(first.content()).isNotBlank();
        assertThat(first.cacheHit()).isFalse();
        assertThat(second.cacheHit()).isFalse();
    }
}
