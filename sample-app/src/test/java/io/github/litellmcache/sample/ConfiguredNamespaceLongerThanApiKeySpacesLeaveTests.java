package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.github.litellmcache.cache.CacheConfigurationException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

/**
 * A configured namespace that the hash of a caller's API key cannot prefix within the library's 64
 * characters stops startup naming the property, instead of every call with an API key being refused
 * with a 400 about a namespace its client never named.
 */
class ConfiguredNamespaceLongerThanApiKeySpacesLeaveTests {

    @Test
    void aConfiguredNamespaceOverFortyThreeCharactersStopsStartupNamingTheProperty() {
        assertThatException()
                .isThrownBy(() -> start("n".repeat(44), false).close())
                .satisfies(failure -> assertThat(NestedExceptionUtils.getMostSpecificCause(failure))
                        .isInstanceOf(CacheConfigurationException.class)
                        .hasMessageContaining("litellm.cache.namespace"));
    }

    @Test
    void entriesSharedAcrossApiKeysTakeTheLibrarysWholeSixtyFourCharacters() {
        assertThatNoException()
                .as("a 64-character namespace starts when entries are shared across API keys")
                .isThrownBy(() -> start("n".repeat(64), true).close());
    }

    private static ConfigurableApplicationContext start(String namespace, boolean shared) {
        return new SpringApplicationBuilder(SampleApplication.class)
                .run(
                        "--server.port=0",
                        "--litellm.mock.latency=0ms",
                        "--litellm.cache.namespace=" + namespace,
                        "--sample.cache.shared-across-api-keys=" + shared);
    }
}
