package io.github.litellmcache.actuate;

import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.cache.engine.GuardedBackend;
import io.github.litellmcache.display.PropertyValues;
import java.time.Duration;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.core.NestedExceptionUtils;

/**
 * The {@code litellmCache} health contributor: UP when the cache's current backend answers a read of the probe key
 * through its guard ({@link GuardedBackend#probe}), DOWN with the reason when it does not. A backend that calls skip
 * after repeated failures is DOWN without being probed until its cool-down has passed; then the probe is the trial
 * that lets calls use it again, even when none are made. DOWN means that calls go to the provider without the cache,
 * not that they fail. A remote backend still warming up after the probe's deadline (its first connection, on a loaded
 * machine) is UNKNOWN, with the reason {@code warming up}: calls wait for the warm-up rather than skip the cache, and
 * the overall status stays UP. Details: {@code type}, when DOWN, {@code reason} (the type and message of the most
 * specific cause, with the cache's secrets masked), and, while the store refuses writes
 * ({@link GuardedBackend#writeRefusal()}), {@code writesRefused} with the store's answer and {@code writesRefusedAt}
 * with when it was given (an instance that tries no write meanwhile keeps showing it): whatever the status, as a
 * store that still answers reads is UP though it stores nothing. Likewise, while calls skip writes after repeated write
 * failures ({@link GuardedBackend#areWritesSkipped()}), {@code writes} says {@code skipped after repeated failures}.
 */
public class LlmCacheHealthIndicator extends AbstractHealthIndicator {

    /** The reason given while calls skip the backend. */
    static final String SKIPPED = "skipped after repeated failures";

    /** The reason given while a remote backend warms up past the probe's deadline: calls wait for it, not skip it. */
    static final String WARMING_UP = "warming up";

    /** Added to the cache's timeout before the probe is given up, as the guard of a remote backend gives up first. */
    private static final Duration GRACE = Duration.ofMillis(100);

    private final LlmCache cache;

    private final BackendGuards guards;

    /**
     * @param cache the cache whose backend is probed, within its current timeout
     * @param guards the guard of each backend, asked whether calls use it
     */
    public LlmCacheHealthIndicator(LlmCache cache, BackendGuards guards) {
        super("LiteLLM cache health check failed");
        this.cache = cache;
        this.guards = guards;
    }

    /** Checks the settings and backend of one state, the backend held, so that an update meanwhile does not close it. */
    @Override
    protected void doHealthCheck(Health.Builder builder) {
        this.cache.use(state -> check(state, builder));
    }

    private void check(LlmCache.State state, Health.Builder builder) {
        CacheSettings settings = state.settings();
        GuardedBackend backend = this.guards.guard(state.backend());
        builder.withDetail("type", PropertyValues.of(settings.type()));
        GuardedBackend.WriteRefusal writeRefusal = backend.writeRefusal();
        if (writeRefusal != null) {
            builder.withDetail("writesRefused", settings.redact(writeRefusal.answer()))
                    .withDetail("writesRefusedAt", writeRefusal.at().toString());
        }
        if (backend.areWritesSkipped()) {
            builder.withDetail("writes", SKIPPED);
        }
        if (!backend.isAvailable()) {
            builder.down().withDetail("reason", SKIPPED);
            return;
        }
        boolean warmingUp = backend.isWarmingUp();
        try {
            backend.probe(settings.timeouts().timeout().plus(GRACE));
            builder.up();
        } catch (RuntimeException ex) {
            if (warmingUp && backend.isWarmingUp()) {
                builder.unknown().withDetail("reason", WARMING_UP);
            } else {
                builder.down().withDetail("reason", settings.redact(describe(ex)));
            }
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(error);
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
    }
}
