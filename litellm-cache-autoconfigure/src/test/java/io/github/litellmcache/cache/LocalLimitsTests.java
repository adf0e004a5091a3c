package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

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
    void limitsWithTheSameSizeAndMemoryAreEqual() {
        assertThat(new LocalLimits(10_000)).isEqualTo(LocalLimits.DEFAULTS).isNotEqualTo(new LocalLimits(5));
        assertThat(new LocalLimits(10_000, DataSize.ofKilobytes(65_536))).isEqualTo(LocalLimits.DEFAULTS);
        assertThat(new LocalLimits(10_000, DataSize.ofMegabytes(32))).isNotEqualTo(LocalLimits.DEFAULTS);
    }

    @Test
    void defaultMaxMemoryIs64Megabytes() {
        assertThat(LocalLimits.DEFAULTS.maxMemory()).isEqualTo(DataSize.ofMegabytes(64));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void maxMemoryThatIsNotPositiveIsRefusedNamingThePropertyAndWhatToSet(long bytes) {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new LocalLimits(10, DataSize.ofBytes(bytes)))
                .withMessageContaining("litellm.cache.local.max-memory")
                .satisfies(error -> assertThat(error.action()).contains("a positive size such as 64MB"));
    }

    @Test
    void limitsAreShownAsPropertyValues() {
        assertThat(LocalLimits.DEFAULTS).hasToString("LocalLimits[maximumSize=10000, maxMemory=64MB]");
        assertThat(new LocalLimits(5, DataSize.ofBytes(1_500)))
                .hasToString("LocalLimits[maximumSize=5, maxMemory=1500B]");
    }

    @Test
    void anotherMaxMemoryMakesLlmCacheUpdateBuildANewLocalBackend() {
        CacheSettings local = CacheSettings.defaults();
        assertThat(local.sameBackendAs(local.toBuilder()
                        .local(new LocalLimits(LocalLimits.DEFAULT_MAXIMUM_SIZE, DataSize.ofMegabytes(8)))
                        .build()))
                .isFalse();
    }
}
