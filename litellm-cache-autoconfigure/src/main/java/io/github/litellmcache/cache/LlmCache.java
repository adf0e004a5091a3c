package io.github.litellmcache.cache;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The runtime switch of the cache (LiteLLM's {@code enable_cache}, {@code disable_cache} and
 * {@code update_cache}). Safe to call while other threads are making calls: each call reads the
 * state once, so calls in flight finish with the settings and backend they started with.
 */
public final class LlmCache implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(LlmCache.class);

    /**
     * How long a replaced backend stays open for the calls that started on it; each of its reads and
     * writes is bounded by the timeout, far shorter.
     */
    static final Duration CLOSE_DELAY = Duration.ofSeconds(2);

    private final CacheBackendFactory backendFactory;

    private final CacheBackend initialBackend;

    private volatile State state;

    public LlmCache(CacheSettings settings, boolean enabled, CacheBackend backend, CacheBackendFactory backendFactory) {
        this.backendFactory = backendFactory;
        this.initialBackend = backend;
        this.state = new State(enabled, settings, backend);
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
     * shortly after, unless it is the backend this cache started with, which belongs to whoever
     * created it.
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

    /** Removes this cache's own entries, and nothing else in a shared store. */
    public void clear() {
        this.state.backend().clear();
    }

    /** What one call reads, at once: whether the cache is on, its settings and its backend. */
    public State state() {
        return this.state;
    }

    private void swap(CacheSettings settings, boolean enabled) {
        State old = this.state;
        CacheBackend backend =
                settings.sameBackendAs(old.settings()) ? old.backend() : this.backendFactory.create(settings);
        this.state = new State(enabled, settings, backend);
        if (backend != old.backend() && old.backend() != this.initialBackend) {
            CacheBackend replaced = old.backend();
            CompletableFuture.delayedExecutor(CLOSE_DELAY.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> closeQuietly(replaced));
        }
    }

    /**
     * Closes the backend that {@link #update} created, if any; the backend given at construction
     * belongs to whoever created it.
     */
    @Override
    public synchronized void close() {
        if (this.state.backend() != this.initialBackend) {
            closeQuietly(this.state.backend());
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
