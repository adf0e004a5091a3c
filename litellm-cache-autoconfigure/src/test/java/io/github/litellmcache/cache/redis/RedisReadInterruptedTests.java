package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Against a real redis-server that does not answer: a blocking call whose thread is interrupted while it waits for
 * its cache read (its caller gave up, as an executor's {@code cancel(true)} or a shutdown does) ends there. It neither
 * goes on to the provider for a caller who is gone, nor counts as a failure of Redis, which would open the circuit
 * breaker for every other call.
 */
class RedisReadInterruptedTests extends AbstractCachedApplicationTests {

    @Test
    void aBlockingCallInterruptedDuringItsReadEndsWithoutCallingTheProviderNorCountingAFailure() {
        try (RedisServer redis = RedisServer.launch()) {
            applicationRunner()
                    .withPropertyValues(redis.cacheProperties())
                    .withPropertyValues("litellm.cache.timeout=3s", "litellm.cache.cooldown=60s")
                    .run(context -> {
                        CompletionService service = context.getBean(CompletionService.class);
                        service.completion(question("before the pause"));
                        int calls = this.provider.requestCount();
                        redis.pause();
                        for (int i = 0; i < 5; i++) {
                            AtomicReference<Object> outcome = new AtomicReference<>();
                            Thread caller = new Thread(() -> {
                                try {
                                    outcome.set(service.completion(question("interrupted")));
                                } catch (RuntimeException gaveUp) {
                                    outcome.set(gaveUp);
                                }
                            });
                            caller.start();
                            while (caller.isAlive() && caller.getState() != Thread.State.TIMED_WAITING) {
                                Thread.sleep(10);
                            }
                            caller.interrupt();
                            caller.join(10_000);
                            assertThat(outcome.get()).isInstanceOf(RuntimeException.class);
                        }
                        redis.resume();

                        assertThat(this.provider.requestCount()).isEqualTo(calls);
                        assertThat(context.getBean(BackendGuards.class)
                                        .guard(context.getBean(LlmCache.class).backend())
                                        .isAvailable())
                                .as("Redis still used by other calls")
                                .isTrue();
                    });
        }
    }
}
