package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.local.LocalCacheBackend;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.CountingCompletionService;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A JVM-fatal {@link Error} passes on to the caller, but what the call held does not outlive it: the
 * flight its leader led, and its hold on the backend it started with.
 */
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

    @Test
    void aBackendReadThatThrowsAnErrorStillReleasesTheCallsHoldOnTheBackend() {
        this.contextRunner.withUserConfiguration(BackendFailingOnce.class).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            BackendFailingOnce backend = context.getBean(BackendFailingOnce.class);
            cache.update(withMaximumSize(cache, 400));
            assertThatThrownBy(() -> service.completion(question("q"))).isInstanceOf(LinkageError.class);

            cache.update(withMaximumSize(cache, 300));

            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(backend.closed)
                            .as("the replaced backend, closed once no call holds it")
                            .isTrue());
        });
    }

    /** The cache's settings with another local maximum size, which makes a new backend. */
    private static CacheSettings withMaximumSize(LlmCache cache, int maximumSize) {
        return cache.settings().toBuilder().local(new LocalLimits(maximumSize)).build();
    }

    /** The cache, whose first update makes an in-process backend whose first read throws a {@link LinkageError}. */
    @Configuration(proxyBeanMethods = false)
    static class BackendFailingOnce {

        final AtomicBoolean failed = new AtomicBoolean();

        volatile boolean closed;

        @Bean
        LlmCache failingOnceLlmCache() {
            LocalCacheBackend local = new LocalCacheBackend(100);
            CacheBackend failingOnce = new CacheBackend() {

                @Override
                public String name() {
                    return "failing-once";
                }

                @Override
                public boolean isInProcess() {
                    return true;
                }

                @Override
                public @Nullable CacheEntry get(CacheKey key) {
                    if (BackendFailingOnce.this.failed.compareAndSet(false, true)) {
                        throw new LinkageError("simulated: a class the backend needs failed to load");
                    }
                    return local.get(key);
                }

                @Override
                public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
                    local.put(key, entry, ttl);
                }

                @Override
                public void clear() {
                    local.clear();
                }

                @Override
                public void close() {
                    BackendFailingOnce.this.closed = true;
                }
            };
            AtomicBoolean made = new AtomicBoolean();
            return new LlmCache(
                    CacheSettings.defaults(),
                    true,
                    new LocalCacheBackend(100),
                    settings -> made.compareAndSet(false, true) ? failingOnce : new LocalCacheBackend(100));
        }
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
