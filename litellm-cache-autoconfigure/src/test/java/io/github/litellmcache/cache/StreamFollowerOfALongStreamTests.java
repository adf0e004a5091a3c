package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;

/**
 * A stream's timeout bounds the wait for each chunk, not the whole stream: a caller who joins the flight of a long
 * stream that keeps sending is not failed by it.
 */
class StreamFollowerOfALongStreamTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner = applicationRunner();

    @Test
    void aFollowerOfAStreamLongerThanTheTimeoutButNeverStallingGetsTheStream() {
        this.provider.chunkInterval(Duration.ofMillis(700));
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("warm up the connection"));
            ChatCompletionRequest request =
                    question("tell a long story", builder -> builder.timeout(Duration.ofSeconds(2)));
            CountDownLatch firstChunk = new CountDownLatch(1);
            Mono<List<ChatCompletionChunk>> leader = service.streamCompletion(request)
                    .doOnNext(chunk -> firstChunk.countDown())
                    .collectList()
                    .cache();
            java.util.concurrent.atomic.AtomicReference<Throwable> failed =
                    new java.util.concurrent.atomic.AtomicReference<>();
            leader.subscribe(chunks -> {}, failed::set);
            assertThat(firstChunk.await(10, TimeUnit.SECONDS))
                    .as("first chunk; leader error: %s", failed)
                    .isTrue();
            Object follower = service.streamCompletion(request)
                    .collectList()
                    .cast(Object.class)
                    .onErrorResume(Mono::just)
                    .block(Duration.ofSeconds(20));
            List<ChatCompletionChunk> led = leader.block(Duration.ofSeconds(20));
            assertThat(led)
                    .as("the leader's stream never stalls beyond its timeout")
                    .isNotEmpty();
            assertThat(follower).as("the follower's outcome").isInstanceOf(List.class);
        });
    }
}
