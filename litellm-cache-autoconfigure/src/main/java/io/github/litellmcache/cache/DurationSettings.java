package io.github.litellmcache.cache;

import io.github.litellmcache.display.PropertyValues;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The check of a duration setting against the range that every backend can store and every scheduler
 * can count in nanoseconds: at most {@link CacheOptions#MAX_DURATION}. A value out of range is a
 * {@link CacheConfigurationException} naming the property, which the failure analyzer reports at startup.
 */
public final class DurationSettings {

    private static final String MAX_DAYS = CacheOptions.MAX_DURATION.toDays() + " days";

    private DurationSettings() {}

    /** {@code value}, or a {@link CacheConfigurationException} naming the property when it is not positive or too long. */
    public static Duration positive(Duration value, String property, String setting, String example) {
        if (value.isZero() || !CacheOptions.isWithinRange(value)) {
            throw outOfRange(value, "a positive duration of at most " + MAX_DAYS, property, setting, example);
        }
        return value;
    }

    /**
     * {@code value}, or a {@link CacheConfigurationException} naming the property and the range when it is shorter
     * than {@code min} or too long.
     */
    static Duration atLeast(Duration value, Duration min, String property, String setting, String example) {
        if (value.compareTo(min) < 0 || !CacheOptions.isWithinRange(value)) {
            throw outOfRange(
                    value,
                    "a duration of at least " + PropertyValues.of(min) + " and at most " + MAX_DAYS,
                    property,
                    setting,
                    example);
        }
        return value;
    }

    /** {@code value}, or a {@link CacheConfigurationException} naming the property when it is negative or too long. */
    public static @Nullable Duration zeroOrPositive(
            @Nullable Duration value, String property, String setting, String example) {
        if (value != null && !CacheOptions.isWithinRange(value)) {
            throw outOfRange(value, "zero or a positive duration of at most " + MAX_DAYS, property, setting, example);
        }
        return value;
    }

    private static CacheConfigurationException outOfRange(
            Duration value, String range, String property, String setting, String example) {
        return CacheConfigurationException.invalid(
                property, setting, PropertyValues.of(value), range + " such as " + example);
    }
}
