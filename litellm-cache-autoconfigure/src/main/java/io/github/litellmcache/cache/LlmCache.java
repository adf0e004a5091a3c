package io.github.litellmcache.cache;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The runtime switch of the cache (LiteLLM's {@code enable_cache}, {@code disable_cache} and
 * {@code update_cache}). Safe to call while other threads are making calls: each call reads the
 * state once, so calls in flight finish with the settings and backend they started with. A backend
 * that {@link #update} replaced is closed, in the background, when the last call that {@linkplain #acquire() holds} it
 * has {@linkplain #release(State) released} it; the backend the cache started with only when the cache owns it.
 */
public final class LlmCache implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(LlmCache.class);

    private final CacheBackendFactory backendFactory;

    /** The generation of the calls begun since the last {@link #clear()}. */
    private final ClearFence clears = new ClearFence();

    /** The backend given at construction when it belongs to whoever created this cache, who closes it; else null. */
    private final @Nullable CacheBackend keptBackend;

    private volatile State state;

    /** The holders of the current backend. */
    private volatile Lease lease;

    /** The holders of replaced backends still in use. */
    private final Map<CacheBackend, Lease> replaced = new ConcurrentHashMap<>();

    /** Told of each backend handed to the cache ({@link #onBackend}). */
    private final List<Consumer<State>> backendListeners = new CopyOnWriteArrayList<>();

    /** Whether {@link #close()} closed the cache and {@link #reopen()} has not reopened it since. */
    private boolean closed;

    /**
     * A cache that starts on {@code backend}, which belongs to whoever created it: this cache never closes it, even
     * once {@link #update} has replaced it.
     */
    public LlmCache(CacheSettings settings, boolean enabled, CacheBackend backend, CacheBackendFactory backendFactory) {
        this(settings, enabled, backend, false, backendFactory);
    }

    /**
     * A cache that starts on {@code backend} and, when {@code ownsBackend}, closes it as it closes the backends it
     * creates: once {@link #update} has replaced it and no call holds it, or on {@link #close()}.
     */
    public LlmCache(
            CacheSettings settings,
            boolean enabled,
            CacheBackend backend,
            boolean ownsBackend,
            CacheBackendFactory backendFactory) {
        this.backendFactory = backendFactory;
        this.keptBackend = ownsBackend ? null : backend;
        this.state = new State(enabled, settings, backend);
        this.lease = new Lease(backend);
    }

    /** Turns the cache on with its current settings. */
    public synchronized void enable() {
        this.state = this.state.withEnabled(true);
    }

    /** Applies {@code settings} and turns the cache on. */
    public synchronized void enable(CacheSettings settings) {
        swap(settings, true);
    }

    /** Turns the cache off: calls neither read nor write it until it is enabled again. */
    public synchronized void disable() {
        this.state = this.state.withEnabled(false);
    }

    /**
     * Applies {@code settings}. When they name another backend (type, connection or location), it
     * is created and later calls use it; calls in flight finish on the old one, which is closed
     * when the last of them has ended, unless it is a backend this cache started with and does not own.
     */
    public synchronized void update(CacheSettings settings) {
        swap(settings, this.state.enabled());
    }

    public boolean isEnabled() {
        return this.state.enabled();
    }

    public CacheSettings settings() {
        return this.state.settings();
    }

    /** The backend that calls use now. */
    public CacheBackend backend() {
        return this.state.backend();
    }

    /**
     * Removes this cache's own entries, and nothing else in a shared store; an {@link #update} meanwhile closes the
     * backend cleared only once this has ended, and the backend it makes current is cleared too. Once it has returned,
     * no answer of a call this instance began before is stored, nor given to an identical call begun after: such a call
     * stores nothing once the clear has begun, and the clear waits for the writes under way ({@link ClearFence}), at
     * most {@link Timeouts#longestWrite()} (twice the larger of {@code litellm.cache.timeout} and 5 s): a write still
     * under way then (a backend of the application's whose writes do not return) is logged, and what it stores is
     * removed once it ends, with what an identical call begun after stored under the same key meanwhile (a miss, never
     * a pre-clear answer). The fleet leases ({@link FleetLeases}) that this instance's calls hold, on the current
     * backend and on those that {@link #update} replaced while calls still use them, are given up, as their answers
     * will not be stored: an identical call begun after the clear, here or on another instance, does not wait for
     * one, but takes the lease and calls the provider (so does one begun during the clear, whose lease is given up too,
     * at the cost of a provider call more). Another instance sharing the store knows nothing of the clear: its calls
     * begun before may still store theirs, and the calls waiting for their leases, here too, still wait for them.
     */
    public void clear() {
        this.clears.clear(this::clearBackend, this.state.settings().timeouts().longestWrite());
    }

    /**
     * Gives up the fleet leases held, then clears the current backend; again while an {@link #update} made another
     * current meanwhile, so that the backend current as this returns was cleared.
     */
    private void clearBackend() {
        @Nullable CacheBackend cleared = null;
        while (true) {
            State state = acquire();
            try {
                if (state.backend() == cleared) {
                    return;
                }
                abandonHeldLeases(state.backend());
                state.backend().clear();
                cleared = state.backend();
            } finally {
                release(state);
            }
        }
    }

    /** Gives up the fleet leases held through {@code current} and through the replaced backends still in use. */
    private void abandonHeldLeases(CacheBackend current) {
        Stream.concat(Stream.of(current), this.replaced.keySet().stream())
                .map(CacheBackend::fleetLeases)
                .filter(Objects::nonNull)
                .distinct()
                .forEach(FleetLeases::abandonHeld);
    }

    /** The generation of a call beginning now: its writes are dropped once {@link #clear()} has begun. */
    public ClearFence.Generation generation() {
        return this.clears.current();
    }

    /**
     * Tells {@code listener} of the state whose backend calls use now, then of each state with another backend, before
     * calls use it ({@link #update}, {@link #reopen()}): so the engine guards every backend the cache is handed, whatever
     * factory made it, and its meters follow.
     */
    public synchronized void onBackend(Consumer<State> listener) {
        this.backendListeners.add(listener);
        listener.accept(this.state);
    }

    /** What one call reads, at once: whether the cache is on, its settings and its backend. */
    public State state() {
        return this.state;
    }

    /**
     * The state a call uses from start to end, with a hold on its backend, which stays open until
     * the call {@linkplain #release(State) releases} it, once, even if {@link #update} replaces it
     * meanwhile.
     */
    public State acquire() {
        while (true) {
            Lease lease = this.lease;
            State state = this.state;
            if (state.backend() == lease.backend) {
                if (lease.hold()) {
                    return state;
                }
            }
            Thread.onSpinWait();
        }
    }

    /** Runs {@code operation} on the state now, holding its backend (as a call does) until it has returned. */
    public void use(Consumer<State> operation) {
        State state = acquire();
        try {
            operation.accept(state);
        } finally {
            release(state);
        }
    }

    /** Ends the hold that {@link #acquire()} gave on the backend of {@code state}. */
    public void release(State state) {
        Lease lease = this.lease;
        if (lease.backend != state.backend()) {
            lease = this.replaced.get(state.backend());
        }
        if (lease != null && lease.release()) {
            this.replaced.remove(lease.backend, lease);
        }
    }

    private void swap(CacheSettings settings, boolean enabled) {
        State old = this.state;
        CacheBackend backend =
                settings.sameBackendAs(old.settings()) ? old.backend() : this.backendFactory.create(settings);
        if (backend == old.backend()) {
            this.state = new State(enabled, settings, backend);
            return;
        }
        replace(backend, settings, enabled);
    }

    /** Makes later calls use {@code backend}; the old one is closed once no call holds it, if this cache owns it. */
    private void replace(CacheBackend backend, CacheSettings settings, boolean enabled) {
        State next = new State(enabled, settings, backend);
        this.backendListeners.forEach(listener -> listener.accept(next));
        Lease replaced = this.lease;
        this.replaced.put(replaced.backend, replaced);
        Lease earlier = this.replaced.get(backend);
        if (earlier != null && earlier.reinstate()) {
            this.lease = earlier;
            this.replaced.remove(backend, earlier);
        } else {
            this.lease = new Lease(backend);
        }
        this.state = next;
        if (replaced.retire(replaced.backend != this.keptBackend)) {
            this.replaced.remove(replaced.backend, replaced);
        }
    }

    /**
     * Closes the backend that calls use now, unless this cache started with it and does not own it; without waiting for
     * the calls still running, whose later operations a Redis or S3 backend refuses ({@link CacheBackendClosedException}).
     */
    @Override
    public synchronized void close() {
        this.closed = true;
        if (this.state.backend() != this.keptBackend) {
            closeQuietly(this.state.backend());
        }
    }

    /**
     * Closes the backend that calls use now, as {@link #close()} does, if it holds connections, as the application
     * context stops: an {@linkplain CacheBackend#isInProcess() in-process} backend holds only memory, and keeps its
     * entries for the context started again (a checkpoint and restore), with nothing to {@linkplain #reopen() reopen}.
     */
    public synchronized void stop() {
        if (!this.state.backend().isInProcess()) {
            close();
        }
    }

    /**
     * Reopens a cache that {@link #close()} or {@link #stop()} closed, as a stopped application context starts again:
     * later calls use a new backend made from the current settings, with connections that work (or the backend the
     * cache started with, when it does not own it and so did not close it). Nothing when the cache is open.
     */
    public synchronized void reopen() {
        if (!this.closed) {
            return;
        }
        this.closed = false;
        State old = this.state;
        if (old.backend() != this.keptBackend) {
            replace(this.backendFactory.create(old.settings()), old.settings(), old.enabled());
        }
    }

    private static void closeQuietly(CacheBackend backend) {
        try {
            backend.close();
        } catch (Exception ex) {
            logger.warn("Closing the " + backend.name() + " cache backend failed: " + ex.getMessage());
        }
    }

    /**
     * The holders of one backend: each call that {@linkplain #acquire() acquired} it releases it
     * once, when it has ended. A replaced backend is closed (unless this cache does not own it) in the
     * background once the last holder has released it.
     */
    private static final class Lease {

        /** The count of a lease whose backend was closed: holding it fails. */
        private static final int CLOSED = Integer.MIN_VALUE / 2;

        private final CacheBackend backend;

        private final AtomicInteger holders = new AtomicInteger();

        private volatile boolean retired;

        private volatile boolean closes;

        private Lease(CacheBackend backend) {
            this.backend = backend;
        }

        private boolean hold() {
            if (this.holders.incrementAndGet() > 0) {
                return true;
            }
            this.holders.decrementAndGet();
            return false;
        }

        /** Ends one hold; true when that ended a retired backend's use. */
        private boolean release() {
            return this.holders.decrementAndGet() == 0 && this.retired && closeIfUnused();
        }

        /** The backend is replaced; true when no call holds it, and so it was closed. */
        private boolean retire(boolean closes) {
            this.closes = closes;
            this.retired = true;
            return closeIfUnused();
        }

        /**
         * The backend, replaced while calls still hold it, is the current one again (a factory may give back a
         * backend it made before): its holders' releases count here, rather than on a new lease of the same backend;
         * false when it was closed meanwhile.
         */
        private synchronized boolean reinstate() {
            if (this.holders.get() < 0) {
                return false;
            }
            this.retired = false;
            return true;
        }

        /**
         * Closes the backend if it is retired and no call holds it: off the thread of the call that ended last, which
         * may be an event loop, even the backend's own, where a client's shutdown must not wait.
         */
        private synchronized boolean closeIfUnused() {
            if (!this.retired || !this.holders.compareAndSet(0, CLOSED)) {
                return false;
            }
            if (this.closes) {
                BackgroundWork.run("litellm-cache-backend-close", () -> closeQuietly(this.backend));
            }
            return true;
        }
    }

    /**
     * The cache as one call sees it from start to end.
     *
     * @param enabled whether the cache is on
     * @param settings its settings
     * @param backend its backend
     */
    public record State(boolean enabled, CacheSettings settings, CacheBackend backend) {

        State withEnabled(boolean enabled) {
            return new State(enabled, this.settings, this.backend);
        }
    }
}
