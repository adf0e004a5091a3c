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

/**
 * Makes a remote backend fail fast: every read and write gets a deadline, and after repeated
 * failures a circuit breaker skips the backend for a cool-down, then lets a few calls probe it
 * again, so that an outage costs almost no latency and recovery needs no restart. The blocking
 * operations are the non-blocking ones awaited with the same deadline. Failures still reach the
 * caller as errors, which the cache interceptor counts as misses.
 */
public final class ResilientCacheBackend implements CacheBackend {

    private static final Log logger = LogFactory.getLog(ResilientCacheBackend.class);

    private final CacheBackend delegate;
    private final Duration timeout;
    private final CircuitBreaker circuitBreaker;

    /**
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
        return counted(this.delegate.getAsync(key)).block(this.timeout);
    }

    @Override
    public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        counted(this.delegate.putAsync(key, entry, ttl)).block(this.timeout);
    }

    @Override
    public Mono<CacheEntry> getAsync(CacheKey key) {
        return counted(this.delegate.getAsync(key).timeout(this.timeout));
    }

    @Override
    public Mono<Void> putAsync(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        return counted(this.delegate.putAsync(key, entry, ttl).timeout(this.timeout));
    }

    @Override
    public Map<CacheKey, CacheEntry> getAll(Collection<CacheKey> keys) {
        Map<CacheKey, CacheEntry> found =
                counted(this.delegate.getAllAsync(keys)).block(this.timeout);
        return (found != null) ? found : Map.of();
    }

    @Override
    public void putAll(Map<CacheKey, CacheEntry> entries, @Nullable Duration ttl) {
        counted(this.delegate.putAllAsync(entries, ttl)).block(this.timeout);
    }

    @Override
    public Mono<Map<CacheKey, CacheEntry>> getAllAsync(Collection<CacheKey> keys) {
        return counted(this.delegate.getAllAsync(keys).timeout(this.timeout));
    }

    @Override
    public Mono<Void> putAllAsync(Map<CacheKey, CacheEntry> entries, @Nullable Duration ttl) {
        return counted(this.delegate.putAllAsync(entries, ttl).timeout(this.timeout));
    }

    @Override
    public void clear() {
        this.delegate.clear();
    }

    @Override
    public void close() {
        this.delegate.close();
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
