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

    private static final List<String> SIZE_SUFFIXES = List.of("TB", "GB", "MB", "KB");

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

    /** A size in its largest exact unit: {@code 64MB}, {@code 1536KB}, {@code 100B}. */
    public static String of(DataSize size) {
        long bytes = size.toBytes();
        for (int i = 0; i < SIZE_SUFFIXES.size(); i++) {
            long perUnit = 1L << (10 * (SIZE_SUFFIXES.size() - i));
            if (bytes != 0 && bytes % perUnit == 0) {
                return (bytes / perUnit) + SIZE_SUFFIXES.get(i);
            }
        }
        return bytes + "B";
    }

    /** Every constant of {@code type} as a property value, comma-separated: {@code local, redis, s3}. */
    public static String allOf(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(PropertyValues::of).collect(Collectors.joining(", "));
    }
}
