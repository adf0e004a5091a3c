package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A caller who joins an identical call in flight keeps its own {@code sMaxAge} for what the leader read. */
class FlightFollowerSMaxAgeTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner = applicationRunner();

    private static EmbeddingRequest embed(Duration sMaxAge) {
        EmbeddingRequest.Builder builder =
                EmbeddingRequest.builder().model("text-embedding-3-small").input(List.of("old item", "new item"));
        if (sMaxAge != null) {
            builder.cache(CacheOptions.builder().sMaxAge(sMaxAge).build());
        }
        return builder.build();
    }

    @Test
    void anEmbeddingFollowerIsNotServedItemsTheLeaderReadThatAreOlderThanItsSMaxAge() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.embedding("text-embedding-3-small", List.of("old item"));
            Thread.sleep(1_500);
            this.provider.latency(Duration.ofMillis(600));
            CompletableFuture<EmbeddingResponse> leader =
                    service.aembedding(embed(null)).toFuture();
            this.provider.awaitRequests(2);
            EmbeddingResponse follower = service.embedding(embed(Duration.ofSeconds(1)));
            assertThat(leader.get().data()).hasSize(2);
            assertThat(follower.data()).hasSize(2);
            assertThat(follower.cacheHit()).isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(3);
            assertThat(this.provider.lastBody().path("input").get(0).asString()).isEqualTo("old item");
            assertThat(this.provider.lastBody().path("input").size()).isEqualTo(1);
        });
    }

    @Test
    void anEmbeddingFollowerWhoseSMaxAgeTheLeaderMeetsTakesItsAnswer() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.embedding("text-embedding-3-small", List.of("old item"));
            this.provider.latency(Duration.ofMillis(600));
            CompletableFuture<EmbeddingResponse> leader =
                    service.aembedding(embed(null)).toFuture();
            this.provider.awaitRequests(2);
            EmbeddingResponse follower = service.embedding(embed(Duration.ofMinutes(5)));
            assertThat(leader.get().data()).hasSize(2);
            assertThat(follower.cacheHit()).isTrue();
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }
}
