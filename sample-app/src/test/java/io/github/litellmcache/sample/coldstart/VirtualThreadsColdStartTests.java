package io.github.litellmcache.sample.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The quick start on the local cache with virtual threads ({@code spring.threads.virtual.enabled}), on the
 * Java the {@code cold-start-java25} Surefire execution chose: that execution names it in
 * {@value #JAVA_VERSION}, and the class is skipped where it is not set.
 */
@EnabledIfSystemProperty(named = VirtualThreadsColdStartTests.JAVA_VERSION, matches = "\\d+")
class VirtualThreadsColdStartTests extends QuickStartAfterColdStart {

    static final String JAVA_VERSION = "coldstart.java.version";

    @Override
    CacheType backend() {
        return CacheType.LOCAL;
    }

    @Test
    void theApplicationRunsWithVirtualThreadsOnTheChosenJava() {
        int chosenJava = Integer.parseInt(System.getProperty(JAVA_VERSION));
        assertThat(Runtime.Version.parse(System.getProperty("java.version")).feature())
                .isEqualTo(chosenJava);
        try (ConfigurableApplicationContext application = start()) {
            assertThat(application.getEnvironment().getProperty("spring.threads.virtual.enabled", Boolean.class))
                    .isTrue();
        }
    }
}
