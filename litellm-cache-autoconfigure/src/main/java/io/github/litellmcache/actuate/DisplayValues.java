package io.github.litellmcache.actuate;

import io.github.litellmcache.cache.CacheSettings;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;

/**
 * How the endpoint and the health contributor show values: secrets masked, enums and durations as
 * they are written in properties.
 */
final class DisplayValues {

    /** What a secret is shown as. */
    static final String MASK = "******";

    private static final List<ChronoUnit> UNITS =
            List.of(ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS, ChronoUnit.MILLIS);

    private DisplayValues() {}

    /** {@value #MASK} when {@code secret} is set, null otherwise. */
    static @Nullable String mask(@Nullable String secret) {
        return (secret != null && !secret.isEmpty()) ? MASK : null;
    }

    /** {@code text} with every secret of {@code settings} that occurs in it replaced by {@value #MASK}. */
    static String redact(String text, CacheSettings settings) {
        String redacted = text;
        for (String secret : Stream.of(
                        settings.password(),
                        settings.s3AwsAccessKeyId(),
                        settings.s3AwsSecretAccessKey(),
                        settings.s3AwsSessionToken())
                .filter(value -> value != null && !value.isBlank())
                .toList()) {
            redacted = redacted.replace(secret, MASK);
        }
        return redacted;
    }

    /** An enum constant as a property value: {@code DEFAULT_ON} becomes {@code default-on}. */
    static String propertyValue(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A duration in its largest exact unit, as written in properties: {@code 10m}, {@code 90s}, {@code 250ms}. */
    static String duration(Duration duration) {
        for (ChronoUnit unit : UNITS) {
            if (duration.truncatedTo(unit).equals(duration)) {
                return DurationStyle.SIMPLE.print(duration, unit);
            }
        }
        return DurationStyle.SIMPLE.print(duration, ChronoUnit.NANOS);
    }
}
