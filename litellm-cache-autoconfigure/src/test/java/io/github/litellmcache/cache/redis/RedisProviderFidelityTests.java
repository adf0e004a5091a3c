package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.AbstractProviderFidelityTests;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@link AbstractProviderFidelityTests} with {@code litellm.cache.type=redis} against a real
 * redis-server, and an entry of the previous format stored by hand.
 */
class RedisProviderFidelityTests extends AbstractProviderFidelityTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    @Override
    protected ApplicationContextRunner contextRunner() {
        return applicationRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues(server.cacheProperties())
                .withPropertyValues(GENEROUS_TIMEOUT);
    }

    @Test
    void entryOfThePreviousFormatIsACleanMissAndIsReplaced() {
        contextRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletionRequest request = question("stored before the upgrade");
            String key = "litellm:" + service.completion(request).cacheKey();
            server.admin()
                    .set(
                            key,
                            "{\"format\":1,\"stored_at\":1732611234123,\"type\":\"chat.completion\",\"response\":"
                                    + "{\"id\":\"chatcmpl-old\",\"created\":1700000000,\"model\":\"gpt-4o-mini\","
                                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                                    + "\"content\":\"old\"},\"finish_reason\":\"stop\"}],\"usage\":"
                                    + "{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2},"
                                    + "\"object\":\"chat.completion\"}}");

            ChatCompletion afterUpgrade = service.completion(request);

            assertThat(afterUpgrade.cacheHit()).isFalse();
            assertThat(afterUpgrade.id()).isNotEqualTo("chatcmpl-old");
            assertThat(afterUpgrade.choices().get(0).message().refusal()).isNotNull();
            assertThat(server.admin().get(key)).startsWith("{\"format\":2,");
            assertThat(service.completion(request).cacheHit()).isTrue();
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }
}
