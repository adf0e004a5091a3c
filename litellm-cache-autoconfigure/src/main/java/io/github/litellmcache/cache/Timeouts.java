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

    /**
     * The longest a remote backend's warm-up, and so a call waiting for it, may take (or the operations' timeout when
     * that is longer): Lettuce's connect timeout for a dedicated Redis connection (2 s) with the handshake and first
     * command after it, or the first request of the AWS SDK in a cold JVM, with room to spare.
     */
    public static final Duration WARM_UP_DEADLINE = Duration.ofSeconds(5);

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

    /** The deadline of a remote backend's warm-up, and of its first operations: the timeout, and at least 5 s. */
    public static Duration warmUpDeadline(Duration timeout) {
        return (timeout.compareTo(WARM_UP_DEADLINE) > 0) ? timeout : WARM_UP_DEADLINE;
    }

    /**
     * The longest that {@code LlmCache.clear()} waits for the writes under way: what one remote write may take, its
     * wait for the warm-up and its own deadline, each {@linkplain #warmUpDeadline at most} the timeout or 5 s.
     */
    public Duration longestWrite() {
        return warmUpDeadline(this.timeout).multipliedBy(2);
    }

    @Override
    public String toString() {
        return "Timeouts[timeout=" + PropertyValues.of(this.timeout) + ", cooldown=" + PropertyValues.of(this.cooldown)
                + "]";
    }
}
