package io.github.litellmcache.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application context stopped and started again, as Spring does around a checkpoint and restore (CRaC): the local
 * cache, which holds no connection, keeps its entries; a remote backend is closed at the stop and replaced at the
 * start, and the context holds no backend left closed.
 */
class ContextStopAndStartTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    @Test
    void theLocalCacheKeepsItsEntriesAcrossAStopAndStart() {
        applicationRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            service.completion(question("asked before the stop"));
            CacheBackend warmed = cache.backend();

            context.stop();
            context.start();

            assertThat(cache.backend()).isSameAs(warmed);
            assertThat(service.completion(question("asked before the stop")).cacheHit())
                    .isTrue();
            assertThat(this.provider.requestCount()).isOne();
        });
    }

    @Test
    void noBackendTheContextHoldsIsClosedAfterAStopAndStart() {
        applicationRunner().withPropertyValues(server.cacheProperties()).run(context -> {
            context.getBean(CompletionService.class).completion(question("asked before the stop"));

            context.stop();
            context.start();

            assertThat(context.getBeansOfType(CacheBackend.class).values())
                    .as("backends the application may inject")
                    .allSatisfy(backend -> backend.get(new CacheKey(null, "read after the start")));
            assertThat(context.getBean(LlmCache.class).backend().get(new CacheKey(null, "read after the start")))
                    .isNull();
        });
    }
}
