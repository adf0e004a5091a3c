package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;

/** Concurrent identical calls on a cold cache make one provider request. */
class SingleFlightTests extends AbstractCachedApplicationTests {

    private static final int CALLERS = 100;

    private final ApplicationContextRunner contextRunner = applicationRunner();

    private static ChatCompletionRequest question() {
        return question("everyone asks this");
    }

    @Test
    void concurrentIdenticalCompletionsMakeOneRequest() {
        this.provider.latency(Duration.ofMillis(300));
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            List<ChatCompletion> answers = concurrently(() -> service.completion(question()));
            assertThat(this.provider.requestCount()).isEqualTo(1);
            assertThat(answers)
                    .extracting(ChatCompletion::id)
                    .containsOnly(answers.get(0).id());
            assertThat(answers.stream().filter(answer -> !answer.cacheHit())).hasSize(1);
        });
    }

    @Test
    void concurrentIdenticalAcompletionsMakeOneRequest() {
        this.provider.latency(Duration.ofMillis(300));
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            List<ChatCompletion> answers = Flux.range(0, CALLERS)
                    .flatMap(i -> service.acompletion(question()), CALLERS)
                    .collectList()
                    .block(Duration.ofSeconds(10));
            assertThat(answers).hasSize(CALLERS);
            assertThat(this.provider.requestCount()).isEqualTo(1);
            assertThat(answers)
                    .extracting(ChatCompletion::id)
                    .containsOnly(answers.get(0).id());
            assertThat(answers.stream().filter(ChatCompletion::cacheHit)).hasSize(CALLERS - 1);
        });
    }

    @Test
    void concurrentIdenticalStreamsMakeOneRequest() {
        this.provider.latency(Duration.ofMillis(300));
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            List<List<ChatCompletionChunk>> streams = Flux.range(0, 10)
                    .flatMap(i -> service.streamCompletion(question()).collectList(), 10)
                    .collectList()
                    .block(Duration.ofSeconds(10));
            assertThat(this.provider.requestCount()).isEqualTo(1);
            assertThat(streams).allSatisfy(chunks -> assertThat(chunks).hasSameSizeAs(streams.get(0)));
        });
    }

    @Test
    void whenTheLeaderFailsWithAServerErrorTheWaitersTryOnceMoreTogetherThenGetTheErrorPromptly() {
        this.provider.latency(Duration.ofMillis(300));
        this.provider.fail(503, "{\"error\":{\"message\":\"overloaded\"}}");
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            long start = System.nanoTime();
            List<Object> outcomes = concurrently(() -> {
                try {
                    return service.completion(question());
                } catch (LlmException ex) {
                    return ex;
                }
            });
            List<Object> reactive = Flux.range(0, CALLERS)
                    .flatMap(
                            i -> service.acompletion(question())
                                    .cast(Object.class)
                                    .onErrorResume(error -> reactor.core.publisher.Mono.just(error)),
                            CALLERS)
                    .collectList()
                    .block(Duration.ofSeconds(10));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(outcomes)
                    .hasSize(CALLERS)
                    .allSatisfy(outcome -> assertThat(outcome)
                            .isInstanceOfSatisfying(
                                    LlmException.class,
                                    error -> assertThat(error.statusCode()).isEqualTo(503)));
            assertThat(reactive)
                    .hasSize(CALLERS)
                    .allSatisfy(outcome -> assertThat(outcome).isInstanceOf(LlmException.class));
            assertThat(this.provider.requestCount()).as("no retry storm").isLessThanOrEqualTo(4);
        });
    }

    @Test
    void aWaiterGivesUpAfterItsOwnTimeout() {
        this.provider.latency(Duration.ofSeconds(2));
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            reactor.core.publisher.Mono<ChatCompletion> leader =
                    service.acompletion(question()).cache();
            leader.subscribe();
            Thread.sleep(200);
            ChatCompletionRequest impatient = ChatCompletionRequest.builder()
                    .model("gpt-4o-mini")
                    .message(ChatMessage.user("everyone asks this"))
                    .timeout(Duration.ofMillis(300))
                    .build();
            long start = System.nanoTime();
            org.assertj.core.api.Assertions.assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> service.completion(impatient))
                    .withMessageContaining("PT0.3S");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(leader.block(Duration.ofSeconds(10)).cacheHit()).isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(1);
        });
    }

    private static <T> List<T> concurrently(java.util.concurrent.Callable<T> call) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CALLERS);
        CountDownLatch ready = new CountDownLatch(CALLERS);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                futures.add(threads.submit(() -> {
                    ready.countDown();
                    go.await();
                    return call.call();
                }));
            }
            ready.await(10, TimeUnit.SECONDS);
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(10, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
