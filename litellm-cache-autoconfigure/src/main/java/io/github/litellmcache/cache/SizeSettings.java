package io.github.litellmcache.cache;

import io.github.litellmcache.display.PropertyValues;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/** The check of a size setting, such as a memory bound: it must be given and positive. */
final class SizeSettings {

    private SizeSettings() {}

    /** {@code value}, or a {@link CacheConfigurationException} naming the property when it is missing or not positive. */
    static DataSize positive(@Nullable DataSize value, String property, String setting, String example) {
        if (value == null || value.toBytes() <= 0) {
            throw CacheConfigurationException.invalid(
                    property,
                    setting,
                    (value != null) ? PropertyValues.of(value) : "null",
                    "a positive size such as " + example);
        }
        return value;
    }
}
