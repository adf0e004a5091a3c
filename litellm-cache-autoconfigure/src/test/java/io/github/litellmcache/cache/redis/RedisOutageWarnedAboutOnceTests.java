package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A Redis outage that outlasts many cool-downs opens the circuit breaker once, as far as the log says: the trials
 * after each cool-down that fail again are not warned about anew, since the rate-limited failure log already reports
 * the calls that go on without the cache.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisOutageWarnedAboutOnceTests extends AbstractCachedApplicationTests {

    @Test
    void anOutageOutlastingManyCooldownsIsWarnedAboutOnce(CapturedOutput output) {
        try (RedisServer redis = RedisServer.launch()) {
            applicationRunner()
                    .withPropertyValues(redis.cacheProperties())
                    .withPropertyValues("litellm.cache.timeout=200ms", "litellm.cache.cooldown=100ms")
                    .run(context -> {
                        CompletionService service = context.getBean(CompletionService.class);
                        service.completion(question("before the outage"));
                        redis.stop();
                        for (int cooldown = 0; cooldown < 5; cooldown++) {
                            for (int call = 0; call < 5; call++) {
                                service.completion(question("during the outage " + cooldown + "/" + call));
                            }
                            Thread.sleep(300);
                        }
                        assertThat(output.getAll()).containsOnlyOnce("failed repeatedly");
                    });
        }
    }
}
