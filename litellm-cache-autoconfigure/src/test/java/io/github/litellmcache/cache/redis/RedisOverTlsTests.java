package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The cache on a Redis that speaks TLS only on the port the application uses, through the application's connection
 * factory and an SSL bundle ({@code spring.data.redis.ssl.bundle}, {@code spring.ssl.bundle.pem.*}): entries are hit
 * and cleared, and two instances make one provider call through the fleet's leases and messages.
 */
class RedisOverTlsTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension server = RedisServerExtension.withTls();

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, DataRedisAutoConfiguration.class))
            .withPropertyValues(server.tlsApplicationConnectionProperties())
            .withPropertyValues("litellm.cache.timeout=2s");

    @Test
    void entriesAreHitAndClearedOverTls() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletion first = service.completion(question("over TLS"));
            assertThat(service.completion(question("over TLS")).cacheHit()).isTrue();
            assertThat(server.admin().exists("litellm:" + first.cacheKey())).isEqualTo(1);
            context.getBean(LlmCache.class).clear();
            assertThat(server.admin().keys("litellm:*")).isEmpty();
            assertThat(service.completion(question("over TLS")).cacheHit()).isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void identicalCallsOnTwoInstancesOverTlsMakeOneProviderCall() {
        this.contextRunner.run(a -> this.contextRunner.run(b -> {
            CompletionService first = a.getBean(CompletionService.class);
            CompletionService second = b.getBean(CompletionService.class);
            first.completion(question("warm-up of the first"));
            second.completion(question("warm-up of the second"));
            this.provider.latency(Duration.ofMillis(500));

            List<ChatCompletion> answers = List.of(
                            first.acompletion(question("one call for the fleet"))
                                    .toFuture(),
                            second.acompletion(question("one call for the fleet"))
                                    .toFuture())
                    .stream()
                    .map(CompletableFuture::join)
                    .toList();

            assertThat(answers)
                    .extracting(ChatCompletion::id)
                    .containsOnly(answers.get(0).id());
            assertThat(this.provider.requestCount()).isEqualTo(3);
        }));
    }
}
