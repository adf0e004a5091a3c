package io.github.litellmcache.usertests;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Test classes of one configuration share Spring's cached context, and with it one cache: an answer cached by one test
 * answers the next. Clearing the cache before each test gives each one a cache of its own; in either order, one of the
 * two classes below would find the other's answer without it.
 */
class CacheSharedByTheTestsOfOneContextTests {

    private static final AtomicReference<LlmCache> firstCacheSeen = new AtomicReference<>();

    @SpringBootTest(properties = "litellm.mock.latency=1ms")
    abstract static class ClearingTheCacheBeforeEachTest {

        @Autowired
        CompletionService llm;

        @Autowired
        LlmCache cache;

        @BeforeEach
        void clearTheCache() {
            this.cache.clear();
        }

        @Test
        void cacheIsTheOneOfEveryTestClassOfTheSameConfiguration() {
            firstCacheSeen.compareAndSet(null, this.cache);

            assertThat(this.cache).isSameAs(firstCacheSeen.get());
        }

        @Test
        void firstCallIsAMissAndTheSecondAHit() {
            ChatCompletion first = this.llm.completion(CapitalApplication.question("France"));
            ChatCompletion second = this.llm.completion(CapitalApplication.question("France"));

            assertThat(first.cacheHit()).isFalse();
            assertThat(second.cacheHit()).isTrue();
        }
    }

    @Nested
    class OneTestClass extends ClearingTheCacheBeforeEachTest {}

    @Nested
    class AnotherTestClass extends ClearingTheCacheBeforeEachTest {}
}
