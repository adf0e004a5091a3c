package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * On Redis, {@code litellm.cache.stale-if-error} keeps an entry that long past its TTL ({@code PX} of both), and
 * the entry past its TTL answers, marked stale, when the provider fails with a server error.
 */
class RedisStaleIfErrorTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withPropertyValues(server.cacheProperties())
            .withPropertyValues(
                    "litellm.cache.timeout=5s", "litellm.cache.ttl=200ms", "litellm.cache.stale-if-error=1h");

    @Test
    void anEntryPastItsTtlIsKeptForTheGraceAndAnswersAServerError() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletion first = service.completion(question("capital of France?"));
            Thread.sleep(400);
            this.provider.fail(503, "{\"error\":{\"message\":\"overloaded\"}}");

            ChatCompletion stale = service.completion(question("capital of France?"));

            List<String> keys = server.admin().keys("litellm:*");
            assertThat(keys).hasSize(1);
            assertThat(server.admin().pttl(keys.get(0)))
                    .isGreaterThan(Duration.ofMinutes(59).toMillis());
            assertThat(stale.cacheHit()).isTrue();
            assertThat(stale.cacheStale()).isTrue();
            assertThat(stale.id()).isEqualTo(first.id());
        });
    }
}
