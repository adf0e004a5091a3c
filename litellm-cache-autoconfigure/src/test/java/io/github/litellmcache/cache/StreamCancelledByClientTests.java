package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionChunks;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A client that stops reading a stream cancels the provider's stream, unless an identical call still waits for it,
 * and nothing partial is stored.
 */
class StreamCancelledByClientTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner = applicationRunner();

    @Test
    void aClientThatCancelsAStreamCancelsTheProviderStreamAndStoresNothing() {
        this.provider.chunkInterval(Duration.ofMillis(200));
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletionChunk first =
                    service.streamCompletion(question("a long story")).blockFirst();
            assertThat(first.cacheHit()).isFalse();
            awaitCancelledStreams(1);
            this.provider.chunkInterval(Duration.ZERO);
            List<ChatCompletionChunk> again = service.streamCompletion(question("a long story"))
                    .collectList()
                    .block();
            assertThat(again.get(0).cacheHit()).as("nothing partial was stored").isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void aStreamRunsOnForAFollowerWhenItsLeaderCancels() {
        this.provider.latency(Duration.ofMillis(300));
        this.provider.chunkInterval(Duration.ofMillis(50));
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.streamCompletion(question("a long story")).take(1).subscribe();
            this.provider.awaitRequests(1);
            List<ChatCompletionChunk> follower = service.streamCompletion(question("a long story"))
                    .collectList()
                    .block();
            assertThat(ChatCompletionChunks.assemble(follower).content()).contains("a long story");
            assertThat(this.provider.requestCount()).isEqualTo(1);
            assertThat(this.provider.cancelledStreams()).isZero();
            assertThat(service.streamCompletion(question("a long story"))
                            .blockFirst()
                            .cacheHit())
                    .as("the whole stream was stored")
                    .isTrue();
        });
    }

    private void awaitCancelledStreams(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (this.provider.cancelledStreams() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(this.provider.cancelledStreams())
                .as("provider streams cancelled")
                .isEqualTo(count);
    }
}
