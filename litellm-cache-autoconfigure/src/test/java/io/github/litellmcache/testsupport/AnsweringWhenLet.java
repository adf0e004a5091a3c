package io.github.litellmcache.testsupport;

import static org.awaitility.Awaitility.await;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.LlmException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A provider that counts the calls that reached it and answers each once the test lets it ({@link #answer}); a
 * blocking call interrupted meanwhile fails, as an HTTP client's would; with {@link #failFirst}, the first call fails
 * with a server error. A reactive call waits on a worker thread.
 */
@Configuration(proxyBeanMethods = false)
public class AnsweringWhenLet {

    /** The calls that reached the provider. */
    public final AtomicInteger entered = new AtomicInteger();

    /** Counted down to let every call answer. */
    public final CountDownLatch answer = new CountDownLatch(1);

    /** Whether the first call fails with a 503 once let. */
    public volatile boolean failFirst;

    /** Waits until {@code calls} calls have reached the provider. */
    public void awaitEntered(int calls) {
        await().atMost(Duration.ofSeconds(10)).until(() -> this.entered.get() == calls);
    }

    @Bean
    CompletionService answeringWhenLetCompletionService() {
        return new CountingCompletionService() {
            @Override
            public ChatCompletion completion(ChatCompletionRequest request) {
                int call = AnsweringWhenLet.this.entered.incrementAndGet();
                try {
                    AnsweringWhenLet.this.answer.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", ex);
                }
                if (call == 1 && AnsweringWhenLet.this.failFirst) {
                    throw new LlmException(503, "overloaded");
                }
                return super.completion(request);
            }

            @Override
            public Mono<ChatCompletion> acompletion(ChatCompletionRequest request) {
                return Mono.fromCallable(() -> completion(request)).subscribeOn(Schedulers.boundedElastic());
            }
        };
    }
}
