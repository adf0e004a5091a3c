package io.github.litellmcache.cache;

import java.time.Duration;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * How the instances sharing a backend make one provider call for identical misses: the instance
 * that takes a key's lease calls the provider and stores the answer; the others wait until it has
 * ended, then read the entry. A backend offers it through {@link CacheBackend#fleetLeases()}; the
 * engine asks it only for the call that leads its key within the instance, and treats a failed or
 * late operation as "no coordination": the instance then makes its own call.
 */
public interface FleetLeases {

    /**
     * Takes the lease of {@code key}: the lease, for the call to hold while it runs, or an empty
     * optional when another instance holds it; an error when the store cannot tell.
     */
    Mono<Optional<Lease>> lead(CacheKey key);

    /**
     * True when an instance has ended its call on {@code key} (stored its answer or failed): a waiter
     * that then finds no entry makes its own call. False after {@code within}, or sooner when the instance
     * holding the lease gave it up unfinished as it shut down: waiters then read again and try the lease,
     * so that a lost message costs only latency and a dead holder's lease is taken.
     */
    Mono<Boolean> ended(CacheKey key, Duration within);

    /** How long a waiter waits for {@link #ended} before it reads again and tries the lease. */
    Duration pollInterval();

    /**
     * Gives up the leases this instance's calls hold now, whose answers will not be stored as a clear has begun
     * ({@code LlmCache.clear()}): the calls go on to their own answers, while the calls waiting for them, on any
     * instance, try the lease again at once rather than wait for an answer that will never be stored. Never fails;
     * waits briefly, if at all.
     */
    default void abandonHeld() {}

    /**
     * A lease taken by this instance. It is kept only once its call {@linkplain #hold() holds} it: one
     * taken for a call that gave up meanwhile (its deadline passed as the answer came) ends by itself.
     */
    interface Lease {

        /** Keeps the lease while the call runs, until {@link #release()}. */
        void hold();

        /** Releases the lease, if still held, and tells the waiting instances; in the background, never failing. */
        void release();
    }
}
