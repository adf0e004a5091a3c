package io.github.litellmcache.cache;

import io.github.litellmcache.display.PropertyValues;
import java.time.Duration;

/**
 * How long the cache waits for a backend, and how long it leaves a failing one alone
 * ({@code litellm.cache.timeout}, {@code litellm.cache.cooldown}).
 *
 * @param timeout the longest a remote read or write may take before the read counts as a miss or the write is dropped
 * @param cooldown how long a remote backend is skipped after repeated failures before calls try it again
 */
public record Timeouts(Duration timeout, Duration cooldown) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);

    public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(5);

    /** The shortest {@link #timeout()}: no remote operation is done sooner, so every read would miss. */
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(1);

    /** The timeouts of {@code CacheSettings.defaults()}. */
    public static final Timeouts DEFAULTS = new Timeouts(DEFAULT_TIMEOUT, DEFAULT_COOLDOWN);

    /**
     * @throws CacheConfigurationException for a timeout under {@link #MIN_TIMEOUT}, a cooldown that is zero or negative,
     *     or either over ten years (beyond which a deadline no longer fits a scheduler's nanoseconds)
     */
    public Timeouts {
        DurationSettings.atLeast(timeout, MIN_TIMEOUT, "litellm.cache.timeout", "Timeouts.timeout", "250ms");
        DurationSettings.positive(cooldown, "litellm.cache.cooldown", "Timeouts.cooldown", "5s");
    }

    @Override
    public String toString() {
        return "Timeouts[timeout=" + PropertyValues.of(this.timeout) + ", cooldown=" + PropertyValues.of(this.cooldown)
                + "]";
    }
}
