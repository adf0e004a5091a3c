package io.github.litellmcache.cache;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of what the cache did since the application started: hits (stale answers among them), misses,
 * bypasses, writes, errors.
 */
public final class CacheStatistics implements CacheRecorder {

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder bypasses = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder errors = new LongAdder();

    @Override
    public void recordCall(CallType callType, CacheOutcome result, long tokensSaved) {
        switch (result) {
            case HIT, STALE -> this.hits.increment();
            case MISS -> this.misses.increment();
            case BYPASS -> this.bypasses.increment();
        }
    }

    /** Counts operations without their durations. */
    @Override
    public boolean timesOperations() {
        return false;
    }

    @Override
    public void recordOperation(String backend, BackendOperation operation, long nanos, boolean failed) {
        if (failed) {
            this.errors.increment();
        } else if (operation == BackendOperation.WRITE) {
            this.writes.increment();
        }
    }

    /** The counts now. */
    public Counts counts() {
        return new Counts(
                this.hits.sum(), this.misses.sum(), this.bypasses.sum(), this.writes.sum(), this.errors.sum());
    }

    /**
     * Counts at one moment.
     *
     * @param hits calls answered from the cache
     * @param misses calls that looked up and went to the provider
     * @param bypasses calls that did not use the cache
     * @param writes backend writes that succeeded; the items of one embedding call are written in one, or on a
     *     backend outside the process in one per batch of its {@link CacheBackend#bulkBatchSize()}
     * @param errors backend reads and writes that failed, timed out or were skipped by the circuit breaker; the
     *     items of one embedding call are read in one, or in batches that stop at the first failure
     */
    public record Counts(long hits, long misses, long bypasses, long writes, long errors) {}
}
