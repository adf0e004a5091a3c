package io.github.litellmcache.cache;

/**
 * Told what the cache does, for statistics and metrics. Implementations are fast and thread-safe;
 * they are called on the calling thread. Nothing passed carries a key, a prompt or a secret.
 */
public interface CacheRecorder {

    /**
     * A call ended with {@code result}, answered or failed (a call its caller cancelled is not told); for a hit,
     * {@code tokensSaved} is the usage it did not spend.
     */
    default void recordCall(CallType callType, CacheOutcome result, long tokensSaved) {}

    /**
     * A call waited {@code nanos} for an identical call in {@code scope}, and the wait ended with {@code outcome}: told
     * once per wait, so twice for a call that waited for a second flight after a first one failed. A call that did not
     * wait (one that hit, or made its own call at once) is not told, nor a wait its caller gave up.
     */
    default void recordFlightWait(FlightScope scope, FlightWaitOutcome outcome, long nanos) {}

    /** A backend {@code operation} took {@code nanos}; {@code failed} when it erred or timed out. */
    default void recordOperation(String backend, BackendOperation operation, long nanos, boolean failed) {}

    /**
     * A backend {@code operation} was skipped, never sent, while the circuit breaker keeps a backend that failed
     * repeatedly out of calls; by default a failed operation that took no time.
     */
    default void recordSkipped(String backend, BackendOperation operation) {
        recordOperation(backend, operation, 0, true);
    }

    /**
     * Whether {@link #recordOperation} reads its {@code nanos}. When no recorder does, operations
     * are not timed: reading the clock twice costs about as much as a read of the local cache.
     */
    default boolean timesOperations() {
        return true;
    }
}
