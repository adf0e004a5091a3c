package io.github.litellmcache.cache;

import io.github.litellmcache.display.PropertyValues;
import java.time.Duration;

/**
 * How long the cache waits for a backend, and how long it leaves a failing one alone
 * ({@code litellm.cache.timeout}, {@code litellm.cache.cooldown}).
 *
 * @param timeout the longest a cache read may take before it counts as a miss
 * @param cooldown how long a remote backend is skipped after repeated failures before calls try it again
 */
public record Timeouts(Duration timeout, Duration cooldown) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);

    public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(5);

    /** The timeouts of {@code CacheSettings.defaults()}. */
    public static final Timeouts DEFAULTS = new Timeouts(DEFAULT_TIMEOUT, DEFAULT_COOLDOWN);

    /**
     * @throws CacheConfigurationException for a duration that is zero, negative or over ten years (beyond which a
     *     deadline no longer fits a scheduler's nanoseconds)
     */
    public Timeouts {
        requireInRange(timeout, "litellm.cache.timeout", "Timeouts.timeout", "250ms");
        requireInRange(cooldown, "litellm.cache.cooldown", "Timeouts.cooldown", "5s");
    }

    private static void requireInRange(Duration value, String property, String setting, String example) {
        if (value.isNegative() || value.isZero() || value.compareTo(CacheOptions.MAX_DURATION) > 0) {
            throw CacheConfigurationException.invalid(
                    property,
                    setting,
                    PropertyValues.of(value),
                    "a positive duration of at most " + CacheOptions.MAX_DURATION.toDays() + " days such as "
                            + example);
        }
    }

    @Override
    public String toString() {
        return "Timeouts[timeout=" + PropertyValues.of(this.timeout) + ", cooldown=" + PropertyValues.of(this.cooldown)
                + "]";
    }
}
