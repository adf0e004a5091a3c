package io.github.litellmcache.completion;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/**
 * How long a provider asks to wait before a retry: {@code retry-after-ms} (OpenAI, Azure), else
 * {@code Retry-After} in seconds or as an HTTP date (RFC 9110). A value that is not one, negative, or
 * more than {@link #LONGEST} is no answer.
 */
final class RetryAfter {

    private static final Duration LONGEST = Duration.ofDays(1);

    private RetryAfter() {}

    static @Nullable Duration of(HttpHeaders headers) {
        Duration millis = millis(headers.getFirst("retry-after-ms"));
        return (millis != null) ? millis : retryAfter(headers.getFirst(HttpHeaders.RETRY_AFTER));
    }

    private static @Nullable Duration millis(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            double millis = Double.parseDouble(value.trim());
            return (millis >= 0 && millis <= LONGEST.toMillis()) ? Duration.ofNanos((long) (millis * 1e6)) : null;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    private static @Nullable Duration retryAfter(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return plausible(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration until = Duration.between(Instant.now(), at);
                return until.isNegative() ? Duration.ZERO : plausible(until);
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static @Nullable Duration plausible(Duration wait) {
        return (!wait.isNegative() && wait.compareTo(LONGEST) <= 0) ? wait : null;
    }
}
