package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeoutsTests {

    @Test
    void zeroOrNegativeTimeoutIsRefusedNamingTheProperty() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new Timeouts(Duration.ZERO, Duration.ofSeconds(5)))
                .withMessageContaining("litellm.cache.timeout");
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new Timeouts(Duration.ofMillis(-1), Duration.ofSeconds(5)))
                .withMessageContaining("litellm.cache.timeout");
    }

    /** Remote operations take longer than that, so every read would miss and every write be dropped. */
    @Test
    void aTimeoutUnderAMillisecondIsRefusedNamingThePropertyAndTheRange() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new Timeouts(Duration.ofNanos(999_999), Timeouts.DEFAULT_COOLDOWN))
                .withMessageContaining("'999999ns' of litellm.cache.timeout")
                .satisfies(error -> assertThat(error.action())
                        .contains("a duration of at least 1ms and at most 3650 days such as 250ms"));
        assertThat(new Timeouts(Duration.ofMillis(1), Timeouts.DEFAULT_COOLDOWN).timeout())
                .isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void zeroOrNegativeCooldownIsRefusedNamingTheProperty() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new Timeouts(Duration.ofMillis(250), Duration.ZERO))
                .withMessageContaining("litellm.cache.cooldown")
                .satisfies(error -> assertThat(error.action()).contains("positive duration"));
    }

    @Test
    void aTimeoutOrCooldownOverTenYearsIsRefusedNamingThePropertyAndTheBound() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new Timeouts(Duration.ofDays(3651), Timeouts.DEFAULT_COOLDOWN))
                .withMessageContaining("litellm.cache.timeout")
                .withMessageContaining("3651d")
                .satisfies(error -> assertThat(error.action()).contains("at most 3650 days"));
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new Timeouts(Timeouts.DEFAULT_TIMEOUT, Duration.ofSeconds(Long.MAX_VALUE)))
                .withMessageContaining("litellm.cache.cooldown");
    }

    @Test
    void toStringShowsPropertyValues() {
        assertThat(Timeouts.DEFAULTS).hasToString("Timeouts[timeout=250ms, cooldown=5s]");
    }

    @Test
    void timeoutsWithTheSameDurationsAreEqual() {
        assertThat(new Timeouts(Duration.ofMillis(1000), Duration.ofSeconds(5)))
                .isEqualTo(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5)))
                .isNotEqualTo(Timeouts.DEFAULTS);
    }
}
