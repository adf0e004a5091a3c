package io.github.litellmcache.cache;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Makes a remote backend fail fast: every read and write gets a deadline, and after repeated
 * failures a circuit breaker skips the backend for a cool-down, then lets a few calls probe it
 * again, so that an outage costs almost no latency and recovery needs no restart. The blocking
 * operations are the non-blocking ones awaited with the same deadline. Failures still reach the
 * caller as errors, which the cache interceptor counts as misses.
 *
 * <p>A remote backend's first operation is slow: the connection, TLS and authentication, and in a
 * cold JVM class loading and the first use of the entry codec. Done inside the first call's
 * deadline, it would turn the first calls after startup into misses (and a failed read skips that
 * call's write). So the backend warms up in the background as soon as it is created, at startup or
 * by {@code LlmCache.update}: a round trip of the entry codec, then a read of {@link #PROBE}. A read
 * or write issued meanwhile first waits for the warm-up, at most {@link #WARM_UP_DEADLINE}, then
 * runs with its own deadline; the wait is not counted by the circuit breaker. A warm-up that fails
 * (the store is down) ends the wait at once, so calls fail as fast as they would without it. Once
 * warm, an operation costs one volatile read more.
 */
public final class ResilientCacheBackend implements CacheBackend {

    private static final Log logger = LogFactory.getLog(ResilientCacheBackend.class);

    /** The key the warm-up reads (and the health check): no request produces it, as keys are hashes. */
    public static final CacheKey PROBE = new CacheKey(null, "health-probe");

    /**
     * The longest the warm-up, and so a call waiting for it, may take (or the operations' timeout
     * when that is longer): Lettuce's connect timeout for a dedicated Redis connection (2 s) with
     * the handshake and first command after it, or the first request of the AWS SDK in a cold JVM,
     * with room to spare. Long enough that the warm-up is never given up while a connection is still
     * being made, which would abandon it, and short enough that a store that accepts connections but
     * does not answer delays the first calls by seconds, not minutes.
     */
    public static final Duration WARM_UP_DEADLINE = Duration.ofSeconds(5);

    private final CacheBackend delegate;
    private final Duration timeout;
    private final CircuitBreaker circuitBreaker;

    /** Completes when the warm-up has ended, however it ended; null from then on. */
    private volatile @Nullable Mono<Void> warmingUp;

    /**
     * Starts the warm-up in the background; it never blocks the caller.
     *
     * @param delegate a backend whose asynchronous operations do not block
     * @param timeout the deadline of each read and write
     * @param cooldown how long the backend is skipped after repeated failures
     */
    public ResilientCacheBackend(CacheBackend delegate, Duration timeout, Duration cooldown) {
        this.delegate = delegate;
        this.timeout = timeout;
        this.circuitBreaker = CircuitBreaker.of(
                delegate.name(),
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(10)
                        .minimumNumberOfCalls(5)
                        .failureRateThreshold(50)
                        .waitDurationInOpenState(cooldown)
                        .permittedNumberOfCallsInHalfOpenState(2)
                        .build());
        this.circuitBreaker.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition().getToState()) {
                case OPEN ->
                    logger.warn("The " + delegate.name() + " cache backend failed repeatedly; calls skip it for "
                            + cooldown + " and go to the provider");
                case CLOSED -> logger.info("The " + delegate.name() + " cache backend answers again");
                default -> {}
            }
        });
        warmUp(Duration.ofMillis(Math.max(WARM_UP_DEADLINE.toMillis(), timeout.toMillis())));
    }

    /** Starts the warm-up in the background: the codec round trip, then the probe read. */
    private void warmUp(Duration deadline) {
        Sinks.Empty<Void> ended = Sinks.empty();
        this.warmingUp = ended.asMono();
        Mono.fromRunnable(CacheEntryCodec::warmUp)
                .then(Mono.defer(() -> this.delegate.getAsync(PROBE)))
                .timeout(deadline)
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe(null, error -> warmedUp(ended, error), () -> warmedUp(ended, null));
    }

    private void warmedUp(Sinks.Empty<Void> ended, @Nullable Throwable error) {
        if (error != null) {
            logger.info("The " + this.delegate.name() + " cache backend did not answer its warm-up read ("
                    + error.getClass().getSimpleName() + "); calls go on without it until it answers");
        }
        this.warmingUp = null;
        ended.tryEmitEmpty();
    }

    @Override
    public String name() {
        return this.delegate.name();
    }

    /** Whether calls use the backend now, or skip it after repeated failures. */
    public boolean isAvailable() {
        return this.circuitBreaker.getState() != CircuitBreaker.State.OPEN;
    }

    @Override
    public @Nullable CacheEntry get(CacheKey key) {
        awaitWarmUp();
        return counted(this.delegate.getAsync(key)).block(this.timeout);
    }

    @Override
    public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        awaitWarmUp();
        counted(this.delegate.putAsync(key, entry, ttl)).block(this.timeout);
    }

    @Override
    public Mono<CacheEntry> getAsync(CacheKey key) {
        return afterWarmUp(counted(this.delegate.getAsync(key).timeout(this.timeout)));
    }

    @Override
    public Mono<Void> putAsync(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        return afterWarmUp(counted(this.delegate.putAsync(key, entry, ttl).timeout(this.timeout)));
    }

    @Override
    public Map<CacheKey, CacheEntry> getAll(Collection<CacheKey> keys) {
        awaitWarmUp();
        Map<CacheKey, CacheEntry> found =
                counted(this.delegate.getAllAsync(keys)).block(this.timeout);
        return (found != null) ? found : Map.of();
    }

    @Override
    public void putAll(Map<CacheKey, CacheEntry> entries, @Nullable Duration ttl) {
        awaitWarmUp();
        counted(this.delegate.putAllAsync(entries, ttl)).block(this.timeout);
    }

    @Override
    public Mono<Map<CacheKey, CacheEntry>> getAllAsync(Collection<CacheKey> keys) {
        return afterWarmUp(counted(this.delegate.getAllAsync(keys).timeout(this.timeout)));
    }

    @Override
    public Mono<Void> putAllAsync(Map<CacheKey, CacheEntry> entries, @Nullable Duration ttl) {
        return afterWarmUp(counted(this.delegate.putAllAsync(entries, ttl).timeout(this.timeout)));
    }

    @Override
    public void clear() {
        this.delegate.clear();
    }

    @Override
    public void close() {
        this.delegate.close();
    }

    /** Waits for the warm-up while it is under way; it ends within its deadline. */
    private void awaitWarmUp() {
        Mono<Void> warmingUp = this.warmingUp;
        if (warmingUp != null) {
            warmingUp.block();
        }
    }

    /**
     * {@code operation}, subscribed after the warm-up when it is under way. Read when the operation is
     * assembled: the warm-up only ever ends, and an ended one lets the operation through at once.
     */
    private <T> Mono<T> afterWarmUp(Mono<T> operation) {
        Mono<Void> warmingUp = this.warmingUp;
        return (warmingUp != null) ? warmingUp.then(operation) : operation;
    }

    /**
     * The operation counted once by the circuit breaker, or refused while the breaker is open. The
     * blocking operations wait for it with the deadline; a wait given up counts as a failure.
     */
    private <T> Mono<T> counted(Mono<T> operation) {
        return Mono.defer(() -> {
            if (!this.circuitBreaker.tryAcquirePermission()) {
                return Mono.error(CallNotPermittedException.createCallNotPermittedException(this.circuitBreaker));
            }
            long start = System.nanoTime();
            AtomicBoolean counted = new AtomicBoolean();
            return operation
                    .doOnSuccess(result -> {
                        if (counted.compareAndSet(false, true)) {
                            this.circuitBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                        }
                    })
                    .doOnError(error -> failed(counted, start, error))
                    .doOnCancel(() -> failed(counted, start, new TimeoutException("gave up waiting")));
        });
    }

    private void failed(AtomicBoolean counted, long start, Throwable error) {
        if (counted.compareAndSet(false, true)) {
            this.circuitBreaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, error);
        }
    }
}
