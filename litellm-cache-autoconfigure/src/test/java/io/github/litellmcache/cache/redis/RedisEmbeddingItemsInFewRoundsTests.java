package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheStatistics;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServer;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The items of a large embedding request on Redis are read in one {@code MGET} per batch of the backend's
 * {@linkplain RedisCacheBackend#bulkBatchSize() batch size}, and written in one round of {@code SET}s per batch, not in
 * rounds of the 16 requests a backend without bulk commands makes at once.
 */
class RedisEmbeddingItemsInFewRoundsTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private static final List<String> ITEMS =
            IntStream.range(0, 600).mapToObj(i -> "item " + i).toList();

    @Test
    void aLargeEmbeddingRequestIsReadAndWrittenInOneRoundPerBatchOfTheBackend() {
        applicationRunner()
                .withPropertyValues("litellm.cache.timeout=5s", "litellm.cache.ttl=10m")
                .withPropertyValues(server.cacheProperties())
                .run(context -> {
                    context.getBean(LlmCache.class).clear();
                    CompletionService service = context.getBean(CompletionService.class);
                    CacheStatistics statistics = context.getBean(CacheStatistics.class);
                    EmbeddingRequest request = EmbeddingRequest.builder()
                            .model("text-embedding-3-small")
                            .input(ITEMS)
                            .build();
                    int rounds = 5;

                    long writes = statistics.counts().writes();
                    long sets = RedisServer.calls(server.admin(), "set");
                    service.embedding(request);
                    assertThat(statistics.counts().writes() - writes)
                            .as("600 items written in rounds of 128")
                            .isEqualTo(rounds);
                    assertThat(RedisServer.calls(server.admin(), "set") - sets)
                            .as("one SET per item, each with its own TTL")
                            .isEqualTo(ITEMS.size());
                    assertThat(server.admin().keys("*"))
                            .hasSize(ITEMS.size())
                            .allSatisfy(
                                    key -> assertThat(server.admin().pttl(key)).isPositive());

                    long mgets = RedisServer.calls(server.admin(), "mget");
                    assertThat(service.embedding(request).cacheHit()).isTrue();
                    assertThat(RedisServer.calls(server.admin(), "mget") - mgets)
                            .as("a blocking hit")
                            .isEqualTo(rounds);

                    mgets = RedisServer.calls(server.admin(), "mget");
                    assertThat(service.aembedding(request).block().cacheHit()).isTrue();
                    assertThat(RedisServer.calls(server.admin(), "mget") - mgets)
                            .as("a reactive hit")
                            .isEqualTo(rounds);
                    assertThat(this.provider.requestCount()).isEqualTo(1);
                });
    }
}
