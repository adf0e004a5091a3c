package io.github.litellmcache.cache;

import io.github.litellmcache.display.PropertyValues;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/** The check of a size setting, such as a memory bound: it must be given and positive. */
public final class SizeSettings {

    private static final DataSize UNBOUNDED = DataSize.ofBytes(Long.MAX_VALUE);

    private SizeSettings() {}

    /** {@code value}, or a {@link CacheConfigurationException} naming the property when it is missing or not positive. */
    static DataSize positive(@Nullable DataSize value, String property, String setting, String example) {
        return positive(value, UNBOUNDED, property, setting, example);
    }

    /**
     * {@code value}, or a {@link CacheConfigurationException} naming the property when it is missing, not positive or
     * over {@code max}.
     */
    public static DataSize positive(
            @Nullable DataSize value, DataSize max, String property, String setting, String example) {
        if (value == null || value.toBytes() <= 0 || value.compareTo(max) > 0) {
            throw CacheConfigurationException.invalid(
                    property,
                    setting,
                    (value != null) ? PropertyValues.of(value) : "null",
                    "a positive size" + (max.equals(UNBOUNDED) ? "" : " of at most " + PropertyValues.of(max))
                            + " such as " + example);
        }
        return value;
    }
}
