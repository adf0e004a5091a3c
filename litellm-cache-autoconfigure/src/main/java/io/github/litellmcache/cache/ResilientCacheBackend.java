package io.github.litellmcache.cache;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
        return getAsync(key).block();
    }

    @Override
    public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        putAsync(key, entry, ttl).block();
    }

    @Override
    public Mono<CacheEntry> getAsync(CacheKey key) {
        return guarded(this.delegate.getAsync(key));
    }

    @Override
    public Mono<Void> putAsync(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        return guarded(this.delegate.putAsync(key, entry, ttl));
    }

    @Override
    public void clear() {
        this.delegate.clear();
    }

    @Override
    public void close() {
        this.delegate.close();
    }

    /** The operation with its deadline, counted by the circuit breaker, or refused while the breaker is open. */
    private <T> Mono<T> guarded(Mono<T> operation) {
        return Mono.defer(() -> {
            if (!this.circuitBreaker.tryAcquirePermission()) {
                return Mono.error(CallNotPermittedException.createCallNotPermittedException(this.circuitBreaker));
            }
            long start = System.nanoTime();
            return operation
                    .timeout(this.timeout)
                    .doOnSuccess(
                            result -> this.circuitBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS))
                    .doOnError(error ->
                            this.circuitBreaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, error))
                    .doOnCancel(this.circuitBreaker::releasePermission);
        });
    }
}
