package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;

class LocalLimitsTests {

    @Test
    void negativeMaximumSizeIsRefusedNamingTheProperty() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new LocalLimits(-1))
                .withMessageContaining("litellm.cache.local.maximum-size")
                .satisfies(error -> assertThat(error.action()).contains("0 or more"));
    }

    @Test
    void zeroMaximumSizeIsAllowed() {
        assertThat(new LocalLimits(0).maximumSize()).isZero();
    }

    @Test
    void limitsWithTheSameSizeAreEqual() {
        assertThat(new LocalLimits(10_000)).isEqualTo(LocalLimits.DEFAULTS).isNotEqualTo(new LocalLimits(5));
    }
}
