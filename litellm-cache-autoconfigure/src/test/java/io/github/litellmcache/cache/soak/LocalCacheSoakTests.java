package io.github.litellmcache.cache.soak;

import java.util.List;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The soak on the local (in-process) backend: there is no store to fail, so the load runs without faults. */
class LocalCacheSoakTests extends AbstractCacheSoakTests {

    @Override
    protected ApplicationContextRunner backendRunner() {
        return applicationRunner().withPropertyValues("litellm.cache.type=local");
    }

    @Override
    protected List<Fault> faults() {
        return List.of();
    }

    @Override
    protected String backendName() {
        return "local";
    }
}
