package io.github.litellmcache.actuate;

import io.github.litellmcache.cache.BackendOperation;
import io.github.litellmcache.cache.CacheOutcome;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.cache.FlightScope;
import io.github.litellmcache.cache.FlightWaitOutcome;
import io.github.litellmcache.display.PropertyValues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The meters of {@link MicrometerCacheMetrics} in one registry. */
final class RegistryMeters {

    private final MeterRegistry registry;

    private final Map<CallType, Map<CacheOutcome, Counter>> requests = new EnumMap<>(CallType.class);

    private final Counter tokensSaved;

    private final Map<FlightScope, Map<FlightWaitOutcome, Timer>> flightWaits = new EnumMap<>(FlightScope.class);

    /** Backend name, then operation. */
    private final Map<String, Map<BackendOperation, OperationMeters>> operations = new ConcurrentHashMap<>();

    RegistryMeters(MeterRegistry registry) {
        this.registry = registry;
        for (CallType callType : CallType.values()) {
            Map<CacheOutcome, Counter> byResult = new EnumMap<>(CacheOutcome.class);
            for (CacheOutcome result : CacheOutcome.values()) {
                byResult.put(
                        result,
                        Counter.builder(MicrometerCacheMetrics.REQUESTS)
                                .description("Calls by what the cache did for them")
                                .tag("result", result.tagValue())
                                .tag("call.type", PropertyValues.of(callType))
                                .register(registry));
            }
            this.requests.put(callType, byResult);
        }
        this.tokensSaved = Counter.builder(MicrometerCacheMetrics.TOKENS_SAVED)
                .description("Tokens of the responses served from the cache instead of the provider")
                .register(registry);
        for (FlightScope scope : FlightScope.values()) {
            Map<FlightWaitOutcome, Timer> byOutcome = new EnumMap<>(FlightWaitOutcome.class);
            for (FlightWaitOutcome outcome : FlightWaitOutcome.values()) {
                byOutcome.put(
                        outcome,
                        Timer.builder(MicrometerCacheMetrics.FLIGHT_WAITS)
                                .description(
                                        "Waits of calls for an identical call, by where it ran and how the wait ended")
                                .tag("scope", scope.tagValue())
                                .tag("outcome", outcome.tagValue())
                                .register(registry));
            }
            this.flightWaits.put(scope, byOutcome);
        }
    }

    void call(CallType callType, CacheOutcome result, long tokensSaved) {
        this.requests.get(callType).get(result).increment();
        if (tokensSaved > 0) {
            this.tokensSaved.increment(tokensSaved);
        }
    }

    void flightWait(FlightScope scope, FlightWaitOutcome outcome, long nanos) {
        this.flightWaits.get(scope).get(outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    void operation(String backend, BackendOperation operation, long nanos, boolean failed) {
        OperationMeters meters = meters(backend, operation);
        meters.latency().record(nanos, TimeUnit.NANOSECONDS);
        if (failed) {
            meters.errors().increment();
        }
    }

    void skipped(String backend, BackendOperation operation) {
        meters(backend, operation).errors().increment();
    }

    private OperationMeters meters(String backend, BackendOperation operation) {
        Map<BackendOperation, OperationMeters> byOperation = this.operations.get(backend);
        if (byOperation == null) {
            byOperation = this.operations.computeIfAbsent(backend, name -> new ConcurrentHashMap<>());
        }
        OperationMeters meters = byOperation.get(operation);
        if (meters == null) {
            meters = byOperation.computeIfAbsent(operation, name -> new OperationMeters(this.registry, backend, name));
        }
        return meters;
    }

    /** The error counter and the latency timer of one backend operation. */
    private record OperationMeters(Counter errors, Timer latency) {

        OperationMeters(MeterRegistry registry, String backend, BackendOperation operation) {
            this(
                    Counter.builder(MicrometerCacheMetrics.ERRORS)
                            .description("Cache backend operations that failed or timed out")
                            .tag("backend", backend)
                            .tag("operation", operation.tagValue())
                            .register(registry),
                    Timer.builder(MicrometerCacheMetrics.LATENCY)
                            .description("Duration of cache backend operations")
                            .tag("backend", backend)
                            .tag("operation", operation.tagValue())
                            .register(registry));
        }
    }
}
