package io.github.litellmcache.display;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

/** Values as they are written in {@code litellm.*} properties, so that what is shown can be pasted back. */
public final class PropertyValues {

    private static final List<ChronoUnit> UNITS =
            List.of(ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS, ChronoUnit.MILLIS);

    private PropertyValues() {}

    /** An enum constant as a property value: {@code DEFAULT_ON} becomes {@code default-on}. */
    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A duration in its largest exact unit: {@code 10m}, {@code 90s}, {@code 250ms}. */
    public static String of(Duration duration) {
        for (ChronoUnit unit : UNITS) {
            if (duration.truncatedTo(unit).equals(duration)) {
                return DurationStyle.SIMPLE.print(duration, unit);
            }
        }
        return DurationStyle.SIMPLE.print(duration, ChronoUnit.NANOS);
    }

    /** A size in its largest exact unit, as a {@code DataSize} property: {@code 32MB}, {@code 1500B}. */
    public static String ofBytes(long bytes) {
        for (String unit : List.of("TB", "GB", "MB", "KB")) {
            long size = DataSize.parse("1" + unit).toBytes();
            if (bytes != 0 && bytes % size == 0) {
                return (bytes / size) + unit;
            }
        }
        return bytes + "B";
    }

    /** Every constant of {@code type} as a property value, comma-separated: {@code local, redis, s3}. */
    public static String allOf(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(PropertyValues::of).collect(Collectors.joining(", "));
    }
}
