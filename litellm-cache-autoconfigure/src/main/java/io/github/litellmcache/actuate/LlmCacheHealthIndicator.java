package io.github.litellmcache.actuate;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.ResilientCacheBackend;
import io.github.litellmcache.display.PropertyValues;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.core.NestedExceptionUtils;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The {@code litellmCache} health contributor: UP when the cache's current backend answers a read
 * of the probe key ({@link ResilientCacheBackend#PROBE}), DOWN with the reason when it does not. A
 * remote backend that calls skip after repeated failures is DOWN without being probed. DOWN means
 * that calls go to the provider without the cache, not that they fail. Details: {@code type} and,
 * when DOWN, {@code reason} (the type and message of the most specific cause, with the cache's
 * secrets masked).
 */
public class LlmCacheHealthIndicator extends AbstractHealthIndicator {

    /** The reason given while calls skip the backend. */
    static final String SKIPPED = "skipped after repeated failures";

    /** Added to the cache's timeout before the probe is given up, as the resilient backend gives up first. */
    private static final Duration GRACE = Duration.ofMillis(100);

    private final LlmCache cache;

    private final Duration deadline;

    /**
     * @param cache the cache whose backend is probed
     * @param timeout the longest a cache read may take ({@code litellm.cache.timeout})
     */
    public LlmCacheHealthIndicator(LlmCache cache, Duration timeout) {
        super("LiteLLM cache health check failed");
        this.cache = cache;
        this.deadline = timeout.plus(GRACE);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        CacheSettings settings = this.cache.settings();
        CacheBackend backend = this.cache.backend();
        builder.withDetail("type", PropertyValues.of(settings.type()));
        if (backend instanceof ResilientCacheBackend resilient && !resilient.isAvailable()) {
            builder.down().withDetail("reason", SKIPPED);
            return;
        }
        try {
            probe(backend);
            builder.up();
        } catch (RuntimeException ex) {
            builder.down().withDetail("reason", settings.redact(describe(ex)));
        }
    }

    /** Reads the probe key off the caller's thread, giving up after the deadline. */
    private void probe(CacheBackend backend) {
        Mono.fromCallable(() -> backend.get(ResilientCacheBackend.PROBE))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(
                        this.deadline,
                        Mono.error(() -> new TimeoutException("no answer within " + this.deadline.toMillis() + "ms")))
                .block();
    }

    private static String describe(Throwable error) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(error);
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
    }
}
