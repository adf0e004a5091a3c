package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.BackendOperation;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheEntryCodec;
import io.github.litellmcache.cache.Timeouts;
import io.github.litellmcache.display.PropertyValues;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.StringUtils;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The part of a {@link GuardedBackend} that makes a remote backend fail fast: every operation gets a deadline, and
 * after repeated failures a circuit breaker skips the backend for a cool-down, then lets a few calls probe it again, so
 * that an outage costs almost no latency and recovery needs no restart. Reads and writes (fleet coordination among
 * them, as a lease is a write) each have a breaker of their own, with the same settings: a store that fails only its
 * writes (a Redis replica answering {@code READONLY}, S3 writes that hang) has its writes and coordination skipped
 * while its hits are still served. Blocking operations are the non-blocking ones awaited with the same deadline.
 *
 * <p>A remote backend's first operation is slow: the connection, TLS and authentication, and in a
 * cold JVM class loading and the first use of the entry codec. Done inside the first call's
 * deadline, it would turn the first calls after startup into misses (and a failed read skips that
 * call's write). So the backend warms up in the background as soon as it is guarded: a round trip
 * of the entry codec, then a read of {@link GuardedBackend#PROBE}. An operation issued meanwhile
 * first waits for the warm-up, at most {@link #WARM_UP_DEADLINE}, then runs with its own deadline;
 * the wait is not counted by the circuit breaker. A warm-up that fails ends the wait at once. Once
 * warm, an operation costs one volatile read more. Two paths stay cold, as warming them would write
 * to the user's store: a write (an S3 {@code PutObject} signs and checksums a body, which no read
 * does) and a read that finds an entry (the probe finds none; an S3 {@code GetObject} with a body
 * validates its checksum). So reads and writes, of one entry and of several ({@link Operation}: a bulk operation runs
 * code of its own), are each given the warm-up's deadline until one of their kind has answered with a value (a read
 * that finds no entry answers none, nor does a read of several that finds none of them) or has missed that deadline
 * too: a store whose writes hang while its reads answer costs the warm-up's deadline once, then the operations' timeout
 * per miss until the write breaker opens.
 *
 * <p>An outage is warned about once, when a breaker opens, saying whether of reads or of writes, and its end once, when
 * it closes: a trial after a cool-down that fails again opens it again silently, as the rate-limited failure log
 * already tells of the calls that go on without the backend.
 */
final class RemoteProtection {

    private static final Log logger = LogFactory.getLog(RemoteProtection.class);

    /** The longest the warm-up, and so a call waiting for it, may take: {@link Timeouts#WARM_UP_DEADLINE}. */
    static final Duration WARM_UP_DEADLINE = Timeouts.WARM_UP_DEADLINE;

    /** The operations that the half-open breaker lets through, whose outcome closes or opens it again. */
    private static final int HALF_OPEN_CALLS = 2;

    private final CacheBackend backend;
    private final Duration timeout;
    private final Duration warmUpDeadline;

    /** Counts reads: while open, calls skip the backend and go to the provider. */
    private final CircuitBreaker reads;

    /**
     * Counts writes and fleet coordination: while open, calls store nothing and coordinate with no other instance, yet
     * still read the backend while its reads answer.
     */
    private final CircuitBreaker writes;

    /**
     * The {@link Operation}s (one bit each) that have answered with a value or missed the warm-up's deadline, and so
     * have the operations' deadline: a read that found an entry, a write that succeeded.
     */
    private final AtomicInteger warm = new AtomicInteger();

    /** Completes when the warm-up has ended, however it ended; null from then on. */
    private volatile @Nullable Mono<Void> warmingUp;

    RemoteProtection(CacheBackend backend, Duration timeout, Duration cooldown) {
        this.backend = backend;
        this.timeout = timeout;
        this.warmUpDeadline = Timeouts.warmUpDeadline(timeout);
        String name = backend.name();
        String named = FailureLog.named(backend);
        this.reads = breaker(name + " reads", "Reads from " + named, "calls skip it and go to the provider", cooldown);
        this.writes = breaker(
                name + " writes", "Writes to " + named, "calls store nothing in it but still read it", cooldown);
        warmUp();
    }

    /**
     * The breaker of one side, reads or writes: it warns once as it opens that {@code what} failed repeatedly and
     * {@code skipped}, and tells once as it closes that {@code what} answer again.
     */
    private static CircuitBreaker breaker(String name, String what, String skipped, Duration cooldown) {
        CircuitBreaker breaker = CircuitBreaker.of(
                name,
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(10)
                        .minimumNumberOfCalls(5)
                        .failureRateThreshold(50)
                        .waitDurationInOpenState(cooldown)
                        .permittedNumberOfCallsInHalfOpenState(HALF_OPEN_CALLS)
                        .ignoreException(error -> Refusals.isRefusal(error) || Refusals.isClosed(error))
                        .build());
        breaker.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition()) {
                case CLOSED_TO_OPEN ->
                    logger.warn(what + " failed repeatedly; " + skipped + ", trying it again every "
                            + PropertyValues.of(cooldown) + " until it answers");
                case HALF_OPEN_TO_CLOSED -> logger.info(what + " answer again");
                default -> {}
            }
        });
        return breaker;
    }

    /** Whether {@code error} says that an operation was skipped, never sent, as the breaker is open. */
    static boolean isSkipped(Throwable error) {
        return error instanceof CallNotPermittedException;
    }

    /**
     * Whether calls read the backend: its read breaker is not open, or its cool-down has passed. The breaker leaves the
     * open state only when an operation asks it to, so asked past the cool-down this lets it through to half-open, as
     * the next operation would: without calls (a quiet instance, or one a load balancer took out for its health), the
     * health check is then what tries the backend again, rather than reporting it skipped for good.
     */
    boolean isAvailable() {
        return isLetThrough(this.reads);
    }

    /**
     * Whether calls skip writes after repeated write failures, while they may still read: the write breaker is open
     * within its cool-down. Asked past it, this lets the breaker through to half-open, as {@link #isAvailable} does, so
     * that the next writes try the backend again.
     */
    boolean areWritesSkipped() {
        return !isLetThrough(this.writes);
    }

    private static boolean isLetThrough(CircuitBreaker breaker) {
        if (breaker.getState() != CircuitBreaker.State.OPEN) {
            return true;
        }
        if (!breaker.tryAcquirePermission()) {
            return false;
        }
        breaker.releasePermission();
        return true;
    }

    /** Whether the read breaker is closed, so that every call reads the backend; read without moving the breaker. */
    boolean isClosed() {
        return this.reads.getState() == CircuitBreaker.State.CLOSED;
    }

    /**
     * A trial of the backend while the breaker is not closed: reads of {@link GuardedBackend#PROBE}, as many as the
     * half-open breaker lets through and while it stays half-open, so that it ends closed or open again. Refused at
     * once, and so costing nothing, while the breaker is open within its cool-down. Never fails.
     */
    Mono<Void> trial() {
        return Mono.defer(() -> guard(this.backend.getAsync(GuardedBackend.PROBE), Operation.READ))
                .then()
                .onErrorResume(error -> Mono.empty())
                .repeat(HALF_OPEN_CALLS - 1, () -> this.reads.getState() == CircuitBreaker.State.HALF_OPEN)
                .then();
    }

    boolean isWarmingUp() {
        return this.warmingUp != null;
    }

    /**
     * {@code operation} awaited on this thread after the warm-up, for at most the deadline: one missed
     * cancels it, which counts as a failure; a wait ended before by an interrupt of this thread counts as
     * nothing, as its caller gave up. A cold kind is warm once cancelled, however: a health check that gives up
     * before the warm-up's deadline on a store that hangs must then have the timeout that its breaker counts, or an
     * instance without calls would never report the store skipped. The wait itself keeps the deadline, so that a hit
     * schedules no timer.
     */
    <T> @Nullable T await(Mono<T> operation, Operation kind) {
        return await(operation, kind, true);
    }

    /**
     * A fleet coordination {@code operation} (a lease taken or released), awaited as a write is, which leaves writes
     * cold: its answer says nothing of how long the first write of an entry takes, whose deadline stays the warm-up's.
     */
    <T> @Nullable T awaitCoordination(Mono<T> operation) {
        return await(operation, Operation.WRITE, false);
    }

    private <T> @Nullable T await(Mono<T> operation, Operation kind, boolean warms) {
        Mono<Void> warmingUp = this.warmingUp;
        if (warmingUp != null) {
            warmingUp.block();
        }
        if (!isCold(kind)) {
            return counted(operation, kind, this.timeout).block(this.timeout);
        }
        if (!warms) {
            return counted(operation, kind, this.warmUpDeadline).block(this.warmUpDeadline);
        }
        return counted(
                        operation.doOnNext(answered -> warmedBy(kind, answered)).doOnCancel(() -> warmed(kind)),
                        kind,
                        this.warmUpDeadline)
                .block(this.warmUpDeadline);
    }

    /**
     * {@code operation} with the deadline, subscribed after the warm-up when it is under way. Read
     * when the operation is assembled: the warm-up only ever ends, and an ended one lets it through.
     */
    <T> Mono<T> guard(Mono<T> operation, Operation kind) {
        return guard(operation, kind, true);
    }

    /** A fleet coordination {@code operation}, guarded as a write is, which leaves writes cold. */
    <T> Mono<T> guardCoordination(Mono<T> operation) {
        return guard(operation, Operation.WRITE, false);
    }

    private <T> Mono<T> guard(Mono<T> operation, Operation kind, boolean warms) {
        Mono<T> timed;
        if (!isCold(kind)) {
            timed = operation.timeout(this.timeout);
        } else if (warms) {
            timed = operation
                    .timeout(this.warmUpDeadline)
                    .doOnNext(answered -> warmedBy(kind, answered))
                    .doOnError(TimeoutException.class, late -> warmed(kind));
        } else {
            timed = operation.timeout(this.warmUpDeadline);
        }
        Mono<T> counted = counted(timed, kind, null);
        Mono<Void> warmingUp = this.warmingUp;
        return (warmingUp != null) ? warmingUp.then(counted) : counted;
    }

    /** Whether no operation of {@code kind} has answered with a value or missed the warm-up's deadline. */
    private boolean isCold(Operation kind) {
        return (this.warm.get() & bit(kind)) == 0;
    }

    /**
     * {@code kind} warm once it has answered {@code answered}, unless that is a read of several entries that found none
     * (an empty map): it has not run the path that decodes entries, which a read of one that finds none does not warm
     * either.
     */
    private void warmedBy(Operation kind, Object answered) {
        if (!(answered instanceof Map<?, ?> found && found.isEmpty())) {
            warmed(kind);
        }
    }

    private void warmed(Operation kind) {
        this.warm.getAndUpdate(warm -> warm | bit(kind));
    }

    private static int bit(Operation kind) {
        return 1 << kind.ordinal();
    }

    /**
     * Starts the warm-up on a worker thread; its deadline runs from now, not from when a worker takes it, as the
     * application may keep every worker busy, and calls wait for the warm-up.
     */
    private void warmUp() {
        Sinks.Empty<Void> ended = Sinks.empty();
        this.warmingUp = ended.asMono();
        Mono.fromRunnable(CacheEntryCodec::warmUp)
                .then(Mono.defer(() -> this.backend.getAsync(GuardedBackend.PROBE)))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(this.warmUpDeadline)
                .subscribe(null, error -> warmedUp(ended, error), () -> warmedUp(ended, null));
    }

    private void warmedUp(Sinks.Empty<Void> ended, @Nullable Throwable error) {
        if (error != null) {
            logger.info(StringUtils.capitalize(FailureLog.named(this.backend)) + " did not answer its warm-up read ("
                    + error.getClass().getSimpleName() + "); calls go on without it until it answers");
        }
        this.warmingUp = null;
        ended.tryEmitEmpty();
    }

    /**
     * The operation counted once by the circuit breaker of its {@code kind}, reads or writes, or refused while that
     * breaker is open. A deadline missed counts as a failure; a refusal of this operation ({@link Refusals}), or of the
     * backend closed at shutdown, counts as nothing, and so does a cancellation, unless it is a blocking wait given up
     * at its {@code deadline} (null for none): one cancelled before was interrupted.
     */
    private <T> Mono<T> counted(Mono<T> operation, Operation kind, @Nullable Duration deadline) {
        CircuitBreaker breaker = (kind.kind() == BackendOperation.READ) ? this.reads : this.writes;
        return Mono.defer(() -> {
            if (!breaker.tryAcquirePermission()) {
                return Mono.error(CallNotPermittedException.createCallNotPermittedException(breaker));
            }
            long start = System.nanoTime();
            AtomicBoolean counted = new AtomicBoolean();
            return operation
                    .doOnSuccess(result -> {
                        if (counted.compareAndSet(false, true)) {
                            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                        }
                    })
                    .doOnError(error -> failed(breaker, counted, start, error))
                    .doOnCancel(() -> {
                        if (deadline != null && System.nanoTime() - start >= deadline.toNanos()) {
                            failed(breaker, counted, start, new TimeoutException("gave up waiting"));
                        } else if (counted.compareAndSet(false, true)) {
                            breaker.releasePermission();
                        }
                    });
        });
    }

    private static void failed(CircuitBreaker breaker, AtomicBoolean counted, long start, Throwable error) {
        if (counted.compareAndSet(false, true)) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, error);
        }
    }
}
