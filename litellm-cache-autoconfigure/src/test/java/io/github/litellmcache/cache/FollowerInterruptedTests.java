package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.CountingCompletionService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A blocking caller waiting for the identical call in flight stops waiting when its thread is interrupted. */
class FollowerInterruptedTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner = applicationRunner();

    @Test
    void aBlockingFollowerStopsWaitingWhenItsThreadIsInterrupted() {
        this.contextRunner.withUserConfiguration(SlowProvider.class).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            SlowProvider provider = context.getBean(SlowProvider.class);
            ChatCompletionRequest request = question("q");
            Thread leader = started(() -> service.completion(request));
            try {
                assertThat(provider.entered.await(10, TimeUnit.SECONDS)).isTrue();
                Thread follower = started(() -> {
                    try {
                        service.completion(request);
                    } catch (RuntimeException gaveUp) {
                        // what an interrupted caller gets
                    }
                });
                while (follower.getState() != Thread.State.WAITING) {
                    Thread.sleep(10);
                }
                follower.interrupt();
                follower.join(TimeUnit.SECONDS.toMillis(10));
                assertThat(follower.isAlive())
                        .as("the follower still waits after its interrupt")
                        .isFalse();
            } finally {
                provider.release.countDown();
                leader.join(TimeUnit.SECONDS.toMillis(10));
            }
        });
    }

    private static Thread started(Runnable work) {
        Thread thread = new Thread(work);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Configuration(proxyBeanMethods = false)
    static class SlowProvider {

        final CountDownLatch entered = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        @Bean
        CompletionService completionService() {
            return new CountingCompletionService() {
                @Override
                public ChatCompletion completion(ChatCompletionRequest request) {
                    SlowProvider.this.entered.countDown();
                    try {
                        SlowProvider.this.release.await();
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    return super.completion(request);
                }
            };
        }
    }
}
