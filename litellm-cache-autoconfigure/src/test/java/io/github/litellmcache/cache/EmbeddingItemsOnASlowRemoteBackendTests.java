package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The items of a large embedding request on a remote backend that answers each read and write within
 * {@code litellm.cache.timeout}, but not all of them together: they are read and written in batches, each
 * with the deadline of one operation, so that they are cached rather than counted a failed read every time.
 */
class EmbeddingItemsOnASlowRemoteBackendTests extends AbstractCachedApplicationTests {

    /** Items enough for 20 rounds of the 16 operations a backend makes at once: 800ms in all, each round 40ms. */
    private static final List<String> ITEMS = IntStream.range(0, 20 * CacheBackend.BULK_CONCURRENCY)
            .mapToObj(i -> "item " + i)
            .toList();

    @Test
    void theItemsOfALargeRequestAreCachedWhenEachOperationAnswersInTime() {
        applicationRunner()
                .withPropertyValues("litellm.cache.timeout=250ms")
                .withBean(CacheBackend.class, () -> new RemoteBackend(Duration.ofMillis(40)))
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    EmbeddingRequest request = EmbeddingRequest.builder()
                            .model("text-embedding-3-small")
                            .input(ITEMS)
                            .build();
                    service.embedding(request);
                    service.embedding(request);

                    EmbeddingResponse blocking = service.embedding(request);
                    EmbeddingResponse reactive = service.aembedding(request).block();

                    assertThat(blocking.cacheHit())
                            .as("read once the backend is warm, with the deadline of single reads")
                            .isTrue();
                    assertThat(reactive.cacheHit()).isTrue();
                    assertThat(reactive.data()).hasSize(ITEMS.size());
                    assertThat(this.provider.requestCount()).isEqualTo(1);
                });
    }

    /** A backend outside the process, as the engine sees it, whose every read and write takes {@code latency}. */
    private static final class RemoteBackend implements NonBlockingCacheBackend {

        private final Map<CacheKey, CacheEntry> entries = new ConcurrentHashMap<>();

        private final Duration latency;

        RemoteBackend(Duration latency) {
            this.latency = latency;
        }

        @Override
        public String name() {
            return "remote";
        }

        @Override
        public Mono<CacheEntry> getAsync(CacheKey key) {
            return Mono.delay(this.latency).flatMap(tick -> Mono.justOrEmpty(this.entries.get(key)));
        }

        @Override
        public Mono<Void> putAsync(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
            return Mono.delay(this.latency)
                    .doOnNext(tick -> this.entries.put(key, entry))
                    .then();
        }

        @Override
        public void clear() {
            this.entries.clear();
        }
    }
}
