package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Proves with BlockHound that the reactive calls on a remote backend never block a non-blocking thread (Reactor's
 * parallel threads, Netty's and the client's event loops), on a miss, a write and a hit. Each backend's test extends
 * this class, starts its store and then calls {@link #installBlockHound()} once for the class. Such tests run in
 * their own Surefire execution ({@code *BlockHoundTests}), as BlockHound instruments the whole JVM.
 */
public abstract class AbstractRemoteCacheBackendBlockHoundTests extends AbstractCachedApplicationTests {

    /** {@link #applicationRunner()} on the backend under test, connected to the store. */
    protected abstract ApplicationContextRunner storeRunner();

    protected static void installBlockHound() {
        BlockHound.install();
    }

    @Test
    void blockHoundIsActive() {
        assertThatExceptionOfType(RuntimeException.class)
                .isThrownBy(() -> Mono.fromRunnable(AbstractRemoteCacheBackendBlockHoundTests::sleep)
                        .subscribeOn(Schedulers.parallel())
                        .block())
                .withMessageContaining("Blocking call");
    }

    @Test
    void acompletionNeverBlocksANonBlockingThread() {
        storeRunner().run(context -> missThenHit(context.getBean(CompletionService.class)));
    }

    /** A miss (and its write) then a hit, each subscribed on a parallel thread. */
    protected static void missThenHit(CompletionService service) {
        ChatCompletionRequest request = ChatCompletionRequest.of("gpt-4o-mini", List.of(ChatMessage.user("q")));
        ChatCompletion miss =
                service.acompletion(request).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10));
        ChatCompletion hit =
                service.acompletion(request).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10));
        assertThat(miss.cacheHit()).isFalse();
        assertThat(hit.cacheHit()).isTrue();
        assertThat(hit.id()).isEqualTo(miss.id());
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
