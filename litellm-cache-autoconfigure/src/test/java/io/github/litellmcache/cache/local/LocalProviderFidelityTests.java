package io.github.litellmcache.cache.local;

import io.github.litellmcache.cache.AbstractProviderFidelityTests;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@link AbstractProviderFidelityTests} with {@code litellm.cache.type=local}. */
class LocalProviderFidelityTests extends AbstractProviderFidelityTests {

    @Override
    protected ApplicationContextRunner contextRunner() {
        return applicationRunner().withPropertyValues("litellm.cache.type=local");
    }
}
