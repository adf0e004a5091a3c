package io.github.litellmcache.cache.local;

import io.github.litellmcache.autoconfigure.LiteLlmCacheAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCompletionAutoConfiguration;
import io.github.litellmcache.cache.AbstractProviderFidelityTests;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@link AbstractProviderFidelityTests} with {@code litellm.cache.type=local}. */
class LocalProviderFidelityTests extends AbstractProviderFidelityTests {

    @Override
    protected ApplicationContextRunner contextRunner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        LiteLlmCompletionAutoConfiguration.class, LiteLlmCacheAutoConfiguration.class))
                .withPropertyValues("litellm.openai.api-base=" + this.provider.apiBase(), "litellm.cache.type=local");
    }
}
