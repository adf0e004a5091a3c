package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.BackendOperation;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheRecorder;
import io.github.litellmcache.cache.FleetLeases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A backend as the engine uses it, the one place where backend failures are absorbed: every
 * operation is timed and told to the recorders, and a failure is logged (rate-limited) and turned
 * into a miss or a dropped write, so that a backend never fails a call. A backend outside the
 * process is also given a deadline per operation, a circuit breaker and a warm-up
 * ({@link RemoteProtection}); an {@linkplain CacheBackend#isInProcess() in-process} one pays for
 * none of them. The health indicator asks the guard, not the backend, whether calls use it.
 */
public final class GuardedBackend {

    /** The key the warm-up and the health check read: no request produces it, as keys are hashes. */
    public static final CacheKey PROBE = new CacheKey(null, "health-probe");

    /** The backend name under which reads answered by a {@linkplain CacheBackend#nearEntry near tier} are recorded. */
    public static final String NEAR = "near";

    private final CacheBackend backend;
    private final List<CacheRecorder> recorders;
    private final boolean timed;
    private final @Nullable RemoteProtection protection;
    private final int batchSize;
    private final FailureLog failures;

    /** Whether a trial of the backend started by {@link #isAvailableTryingInBackground()} is under way. */
    private final AtomicBoolean trying = new AtomicBoolean();

    /** The last write the store refused, until a write succeeds; null when none is refused. */
    private volatile @Nullable WriteRefusal writeRefusal;

    /**
     * Starts a remote backend's warm-up in the background; it never blocks the caller.
     *
     * @param backend the backend guarded
     * @param timeout the deadline of each read and write of a remote backend
     * @param cooldown how long a remote backend is skipped after repeated failures
     * @param recorders told how long each operation took and whether it failed
     */
    public GuardedBackend(CacheBackend backend, Duration timeout, Duration cooldown, List<CacheRecorder> recorders) {
        this.backend = backend;
        this.recorders = List.copyOf(recorders);
        this.timed = recorders.stream().anyMatch(CacheRecorder::timesOperations);
        this.protection = backend.isInProcess() ? null : new RemoteProtection(backend, timeout, cooldown);
        this.batchSize = Math.max(1, backend.bulkBatchSize());
        this.failures = new FailureLog(backend);
    }

    /** The backend guarded. */
    public CacheBackend backend() {
        return this.backend;
    }

    /** Whether calls use the backend now, or skip it after repeated read failures until the cool-down has passed. */
    public boolean isAvailable() {
        return (this.protection == null) || this.protection.isAvailable();
    }

    /**
     * Whether calls skip writes to a remote backend after repeated write failures, until the cool-down has passed,
     * while they still read it as long as its reads answer ({@link #isAvailable()}).
     */
    public boolean areWritesSkipped() {
        return (this.protection != null) && this.protection.areWritesSkipped();
    }

    /**
     * Whether the read circuit breaker of a remote backend is closed, so that calls use it, for a gauge: asking never
     * blocks nor moves the breaker. When it is not closed (open, or half-open trying the backend again), asking starts
     * a {@linkplain RemoteProtection#trial() trial} of the backend in the background, at most one at a time, on the
     * threads of the probes: a trial past the cool-down closes or opens the breaker again, which the next ask tells, so
     * that an instance without calls does not report a store that answers again as skipped.
     */
    public boolean isAvailableTryingInBackground() {
        RemoteProtection protection = this.protection;
        if (protection == null || protection.isClosed()) {
            return true;
        }
        if (this.trying.compareAndSet(false, true)) {
            protection
                    .trial()
                    .subscribeOn(ProbeThreads.SCHEDULER)
                    .doFinally(signal -> this.trying.set(false))
                    .subscribe(null, error -> {});
        }
        return false;
    }

    /** Whether a remote backend is still warming up: calls issued now wait for it, at most its deadline. */
    public boolean isWarmingUp() {
        return (this.protection != null) && this.protection.isWarmingUp();
    }

    /**
     * The last write the store refused ({@link Refusals}: a Redis error reply such as {@code OOM} or {@code MISCONF},
     * an S3 4xx), until a write succeeds again; null when none is refused. Reads may still answer, so the backend is
     * up, yet nothing is stored. An idle instance keeps it as long as no write is tried, hence its time.
     */
    public @Nullable WriteRefusal writeRefusal() {
        return this.writeRefusal;
    }

    /**
     * Reads {@link #PROBE} as a call would, and throws what the backend threw: a remote backend off the caller's
     * thread, on a thread of the probes' own ({@link ProbeThreads}), throwing a {@link TimeoutException} when it has
     * not answered within {@code deadline}; an in-process one on the caller's thread without a deadline, as calls read
     * it, so that a read slowed by a loaded machine is not reported as an outage that calls never see.
     */
    public void probe(Duration deadline) {
        if (this.protection == null) {
            this.backend.get(PROBE);
            return;
        }
        Mono.fromCallable(() -> awaited(Operation.READ, PROBE, CacheBackend::get, CacheBackend::getAsync))
                .subscribeOn(ProbeThreads.SCHEDULER)
                .timeout(
                        deadline,
                        Mono.error(() -> new TimeoutException("no answer within " + deadline.toMillis() + "ms")))
                .block();
    }

    Step<Read<CacheEntry>> read(CacheKey key, CallMode mode) {
        long start = now();
        CacheEntry near = this.backend.nearEntry(key);
        if (near != null) {
            recorded(NEAR, BackendOperation.READ, start, false);
            return Step.of(Read.of(near));
        }
        return attempt(Operation.READ, mode, key, CacheBackend::get, CacheBackend::getAsync);
    }

    /**
     * The entries of {@code keys}, read in {@linkplain #batches batches} on a remote backend: a failed read when one
     * of them failed.
     */
    Step<Read<Map<CacheKey, CacheEntry>>> readAll(Collection<CacheKey> keys, CallMode mode) {
        if (isOneBatch(keys.size())) {
            return attempt(Operation.READ_ALL, mode, keys, CacheBackend::getAll, CacheBackend::getAllAsync);
        }
        return inBatches(
                        batches(List.copyOf(keys)),
                        mode,
                        Operation.READ_ALL,
                        CacheBackend::getAll,
                        CacheBackend::getAllAsync)
                .map(GuardedBackend::merged);
    }

    Step<?> write(CacheKey key, CacheEntry entry, @Nullable Duration ttl, CallMode mode) {
        return attempt(
                Operation.WRITE,
                mode,
                entry,
                (backend, stored) -> {
                    backend.put(key, stored, ttl);
                    return Boolean.TRUE;
                },
                (backend, stored) -> backend.putAsync(key, stored, ttl).thenReturn(Boolean.TRUE));
    }

    /** Writes {@code entries}, in {@linkplain #batches batches} on a remote backend, until one of them fails. */
    Step<?> writeAll(Map<CacheKey, CacheEntry> entries, @Nullable Duration ttl, CallMode mode) {
        BiFunction<CacheBackend, Map<CacheKey, CacheEntry>, Boolean> direct = (backend, stored) -> {
            backend.putAll(stored, ttl);
            return Boolean.TRUE;
        };
        BiFunction<CacheBackend, Map<CacheKey, CacheEntry>, Mono<Boolean>> async =
                (backend, stored) -> backend.putAllAsync(stored, ttl).thenReturn(Boolean.TRUE);
        if (isOneBatch(entries.size())) {
            return attempt(Operation.WRITE_ALL, mode, entries, direct, async);
        }
        List<Map<CacheKey, CacheEntry>> batches = new ArrayList<>();
        for (List<CacheKey> keys : batches(List.copyOf(entries.keySet()))) {
            Map<CacheKey, CacheEntry> batch = new HashMap<>();
            keys.forEach(key -> batch.put(key, entries.get(key)));
            batches.add(batch);
        }
        return inBatches(batches, mode, Operation.WRITE_ALL, direct, async);
    }

    /**
     * Whether {@code size} items go in one operation: always on an in-process backend, and up to its
     * {@linkplain CacheBackend#bulkBatchSize() batch size} on a remote one. A batch is one round of the requests a
     * backend makes at once, so each is given the deadline of one read or write: a bulk operation of any size is held
     * to the deadline as single ones are, and the items of a large embedding request are not all counted a failed read
     * (and then never stored) on a backend that answers each in time.
     */
    private boolean isOneBatch(int size) {
        return this.protection == null || size <= this.batchSize;
    }

    /** {@code items} in batches of the backend's {@linkplain CacheBackend#bulkBatchSize() batch size}. */
    private <T> List<List<T>> batches(List<T> items) {
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < items.size(); from += this.batchSize) {
            batches.add(items.subList(from, Math.min(items.size(), from + this.batchSize)));
        }
        return batches;
    }

    /** The operation on each of {@code batches} in turn, until one fails: the reads of those attempted. */
    private <A, T> Step<List<Read<T>>> inBatches(
            List<A> batches,
            CallMode mode,
            Operation operation,
            BiFunction<CacheBackend, A, @Nullable T> direct,
            BiFunction<CacheBackend, A, Mono<T>> async) {
        if (mode == CallMode.BLOCKING) {
            List<Read<T>> reads = new ArrayList<>();
            for (A batch : batches) {
                Read<T> read = attemptNow(operation, batch, direct, async);
                reads.add(read);
                if (read.failed()) {
                    break;
                }
            }
            return Step.of(reads);
        }
        return Step.later(Flux.fromIterable(batches)
                .concatMap(
                        batch -> attempt(operation, mode, batch, direct, async).toMono())
                .takeUntil(Read::failed)
                .collectList());
    }

    /** The entries found by {@code reads}, or a failed read when one of them failed. */
    private static Read<Map<CacheKey, CacheEntry>> merged(List<Read<Map<CacheKey, CacheEntry>>> reads) {
        Map<CacheKey, CacheEntry> found = new HashMap<>();
        for (Read<Map<CacheKey, CacheEntry>> read : reads) {
            if (read.failed()) {
                return read;
            }
            if (read.value() != null) {
                found.putAll(read.value());
            }
        }
        return Read.of(found);
    }

    /** The backend's coordination of identical misses across instances, or null. */
    @Nullable
    FleetLeases fleetLeases() {
        return this.backend.fleetLeases();
    }

    /**
     * A coordination operation with the deadline and circuit breaker of a write, as a lease is one: its value, or
     * nothing when it fails, as the call then goes on without coordination. Its answer leaves writes cold: until a
     * write has succeeded, writes keep the warm-up's deadline.
     */
    <T> Step<T> coordinate(Supplier<Mono<T>> operation, CallMode mode) {
        RemoteProtection protection = this.protection;
        if (mode == CallMode.BLOCKING) {
            try {
                return Step.of(
                        (protection != null)
                                ? protection.awaitCoordination(operation.get())
                                : operation.get().block());
            } catch (RuntimeException ex) {
                return Step.empty();
            }
        }
        return Step.later(
                Mono.defer(() -> (protection != null) ? protection.guardCoordination(operation.get()) : operation.get())
                        .onErrorResume(error -> Mono.empty()));
    }

    /**
     * One operation on {@code argument}, run now on the caller's thread when {@code mode} is blocking,
     * timed, its failure a {@linkplain Read#failure() failed read}. The operation is given the backend
     * and its argument, so that a read of an in-process backend makes no object for it.
     */
    private <A, T> Step<Read<T>> attempt(
            Operation operation,
            CallMode mode,
            A argument,
            BiFunction<CacheBackend, A, @Nullable T> direct,
            BiFunction<CacheBackend, A, Mono<T>> async) {
        if (mode == CallMode.BLOCKING) {
            return Step.of(attemptNow(operation, argument, direct, async));
        }
        return Step.later(Mono.defer(() -> {
            long start = now();
            return subscribed(operation, argument, async)
                    .map(Read::of)
                    .defaultIfEmpty(Read.empty())
                    .doOnNext(read -> ended(operation.kind(), start, null))
                    .onErrorResume(error -> {
                        ended(operation.kind(), start, error);
                        return Mono.just(Read.failure());
                    });
        }));
    }

    /**
     * One operation on {@code argument}, run now on the caller's thread, timed, its failure a failed read. An
     * interrupt of the thread is its caller giving up, not a failure of the backend: an interrupted read ends the
     * call rather than sending it on to the provider; an interrupted write is dropped, the answer kept.
     */
    private <A, T> Read<T> attemptNow(
            Operation operation,
            A argument,
            BiFunction<CacheBackend, A, @Nullable T> direct,
            BiFunction<CacheBackend, A, Mono<T>> async) {
        long start = now();
        try {
            Read<T> read = Read.of(awaited(operation, argument, direct, async));
            ended(operation.kind(), start, null);
            return read;
        } catch (RuntimeException ex) {
            if (!Thread.currentThread().isInterrupted()) {
                ended(operation.kind(), start, ex);
            } else if (operation.kind() == BackendOperation.READ) {
                throw ex;
            }
            return Read.failure();
        }
    }

    /** The operation's value, waited for within the deadline of a remote backend. */
    private <A, T> @Nullable T awaited(
            Operation operation,
            A argument,
            BiFunction<CacheBackend, A, @Nullable T> direct,
            BiFunction<CacheBackend, A, Mono<T>> async) {
        return (this.protection != null)
                ? this.protection.await(async.apply(this.backend, argument), operation)
                : direct.apply(this.backend, argument);
    }

    /** The operation, with the deadline and circuit breaker of a remote backend. */
    private <A, T> Mono<T> subscribed(Operation operation, A argument, BiFunction<CacheBackend, A, Mono<T>> async) {
        Mono<T> started = async.apply(this.backend, argument);
        return (this.protection != null) ? this.protection.guard(started, operation) : started;
    }

    /** The time an operation starts at, or 0 when no recorder times operations. */
    private long now() {
        return this.timed ? System.nanoTime() : 0;
    }

    /**
     * Tells the recorders how {@code operation} ended, and logs its failure; one refused by the backend closed at
     * shutdown is no failure of the store, and is only logged at debug level.
     */
    private void ended(BackendOperation operation, long start, @Nullable Throwable error) {
        if (error != null && Refusals.isClosed(error)) {
            this.failures.closed(operation);
            return;
        }
        if (operation == BackendOperation.WRITE) {
            noteWrite(error);
        }
        if (error == null) {
            recorded(this.backend.name(), operation, start, false);
            return;
        }
        if (RemoteProtection.isSkipped(error)) {
            for (CacheRecorder recorder : this.recorders) {
                recorder.recordSkipped(this.backend.name(), operation);
            }
        } else {
            recorded(this.backend.name(), operation, start, true);
        }
        this.failures.failed(operation, error);
    }

    private void noteWrite(@Nullable Throwable error) {
        if (error == null) {
            if (this.writeRefusal != null) {
                this.writeRefusal = null;
            }
        } else if (Refusals.isRefusal(error)) {
            this.writeRefusal = new WriteRefusal(FailureLog.describe(error), Instant.now());
        }
    }

    private void recorded(String backend, BackendOperation operation, long start, boolean failed) {
        long nanos = this.timed ? System.nanoTime() - start : 0;
        for (CacheRecorder recorder : this.recorders) {
            recorder.recordOperation(backend, operation, nanos, failed);
        }
    }

    /**
     * A write the store refused.
     *
     * @param answer the store's answer: the type and message of the most specific cause
     * @param at when the store refused it
     */
    public record WriteRefusal(String answer, Instant at) {}
}
