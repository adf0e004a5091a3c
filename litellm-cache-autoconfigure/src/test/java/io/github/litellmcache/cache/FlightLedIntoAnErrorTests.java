package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.CountingCompletionService;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A flight whose leader's provider threw an {@link Error} does not outlive it. */
class FlightLedIntoAnErrorTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner = applicationRunner();

    @Test
    void aCallAfterALeaderWhoseProviderThrewAnErrorReachesTheProvider() {
        this.contextRunner.withUserConfiguration(FailingOnce.class).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletionRequest request = question("q", builder -> builder.timeout(Duration.ofMillis(500)));
            assertThatThrownBy(() -> service.completion(request)).isInstanceOf(StackOverflowError.class);
            ChatCompletion second = service.completion(request);
            assertThat(second.cacheHit()).isFalse();
            assertThat(context.getBean(FailingOnce.class).provider.calls()).isEqualTo(1);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingOnce {

        final AtomicBoolean failed = new AtomicBoolean();

        final CountingCompletionService provider = new CountingCompletionService() {
            @Override
            public ChatCompletion completion(ChatCompletionRequest request) {
                if (FailingOnce.this.failed.compareAndSet(false, true)) {
                    throw new StackOverflowError("simulated: a deep recursion in the provider client");
                }
                return super.completion(request);
            }
        };

        @Bean
        CompletionService completionService() {
            return this.provider;
        }
    }
}
