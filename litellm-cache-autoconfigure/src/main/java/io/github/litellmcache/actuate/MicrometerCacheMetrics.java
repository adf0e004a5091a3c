package io.github.litellmcache.actuate;

import io.github.litellmcache.cache.BackendOperation;
import io.github.litellmcache.cache.CacheOutcome;
import io.github.litellmcache.cache.CacheRecorder;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.cache.FlightScope;
import io.github.litellmcache.cache.FlightWaitOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Arrays;

/**
 * The cache's Micrometer meters: the counter {@value #REQUESTS} tagged {@code result} ({@code hit},
 * {@code miss}, {@code bypass}) and {@code call.type}; the counter {@value #ERRORS} and the timer
 * {@value #LATENCY}, both tagged {@code backend} and {@code operation} ({@code read}, {@code write}),
 * where operations the circuit breaker skips count as errors but are not timed;
 * the counter {@value #TOKENS_SAVED}, the tokens of the responses served from the cache; and the timer
 * {@value #FLIGHT_WAITS} tagged {@code scope} ({@code instance}, {@code fleet}) and {@code outcome} ({@code answered},
 * {@code retried}, {@code timed-out}, {@code failed}), the waits of calls for an identical call.
 *
 * <p>Records nothing until it is bound to a registry. The request counters and the wait timers are registered when it
 * is bound, the backend meters on a backend's first operation; after that, recording looks meters
 * up without allocating. No tag carries a key, a prompt or a secret.
 */
public final class MicrometerCacheMetrics implements MeterBinder, CacheRecorder {

    /** Calls, by what the cache did for them, whether the provider then answered or failed. */
    public static final String REQUESTS = "litellm.cache.requests";

    /** Backend reads and writes that failed or timed out. */
    public static final String ERRORS = "litellm.cache.errors";

    /** How long backend reads and writes take. */
    public static final String LATENCY = "litellm.cache.latency";

    /** Tokens of the responses served from the cache instead of the provider. */
    public static final String TOKENS_SAVED = "litellm.cache.tokens.saved";

    /** How long calls waited for an identical call, in this instance or in the fleet, and how each wait ended. */
    public static final String FLIGHT_WAITS = "litellm.cache.flight.waits";

    private volatile RegistryMeters[] registries = new RegistryMeters[0];

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        RegistryMeters[] bound = Arrays.copyOf(this.registries, this.registries.length + 1);
        bound[bound.length - 1] = new RegistryMeters(registry);
        this.registries = bound;
    }

    @Override
    public void recordCall(CallType callType, CacheOutcome result, long tokensSaved) {
        for (RegistryMeters meters : this.registries) {
            meters.call(callType, result, tokensSaved);
        }
    }

    @Override
    public void recordFlightWait(FlightScope scope, FlightWaitOutcome outcome, long nanos) {
        for (RegistryMeters meters : this.registries) {
            meters.flightWait(scope, outcome, nanos);
        }
    }

    @Override
    public void recordOperation(String backend, BackendOperation operation, long nanos, boolean failed) {
        for (RegistryMeters meters : this.registries) {
            meters.operation(backend, operation, nanos, failed);
        }
    }

    /** Counts the skipped operation as an error, without timing it: it took no time. */
    @Override
    public void recordSkipped(String backend, BackendOperation operation) {
        for (RegistryMeters meters : this.registries) {
            meters.skipped(backend, operation);
        }
    }
}
