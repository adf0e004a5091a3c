package io.github.litellmcache.usertests;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** {@code litellm.cache.enabled=false} in a test's properties: every call reaches the provider. */
@SpringBootTest(properties = {"litellm.cache.enabled=false", "litellm.mock.latency=1ms"})
class CacheDisabledForTestsTests {

    @Autowired
    CompletionService llm;

    @Test
    void repeatedCallIsNoHit() {
        ChatCompletion first = this.llm.completion(CapitalApplication.question("Italy"));
        ChatCompletion second = this.llm.completion(CapitalApplication.question("Italy"));

        assertThat(first.cacheHit()).isFalse();
        assertThat(second.cacheHit()).isFalse();
    }
}
