package io.github.litellmcache.autoconfigure;

import io.github.litellmcache.cache.LlmCache;
import org.springframework.context.SmartLifecycle;

/**
 * {@linkplain LlmCache#stop() Stops} the {@link LlmCache} as the application context stops: its backend is closed
 * unless it is in process, as the local cache holds no connection and keeps its entries for a context started again
 * (a checkpoint and restore finds it warm). After the web server has drained its requests (its graceful shutdown, then
 * its stop, at phases {@code DEFAULT_PHASE - 1024} and {@code - 2048}), so that the calls they made finish with their
 * cache, and before the connections of the backends stop (Spring Data Redis's connection factories, at phase 0), so
 * that the cache releases its fleet leases and gives its connections back while they work: a pooled factory warns of
 * unreleased connections otherwise. A context started again {@linkplain LlmCache#reopen() reopens} a cache whose
 * backend was closed on a new backend, whose connections work (a near tier starts empty: invalidations sent while its
 * connections were closed are lost). Without a lifecycle (a context that is only closed, or an {@code LlmCache} made
 * with {@code new}), closing the cache as it is destroyed still closes it.
 */
public final class LlmCacheLifecycle implements SmartLifecycle {

    /** After the web server's graceful shutdown and stop, before the connection factories (phase 0). */
    public static final int SMART_LIFECYCLE_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final LlmCache cache;

    private volatile boolean running;

    /** A lifecycle that closes and reopens {@code cache}. */
    public LlmCacheLifecycle(LlmCache cache) {
        this.cache = cache;
    }

    /** Reopens the cache if a stop closed it. */
    @Override
    public void start() {
        this.cache.reopen();
        this.running = true;
    }

    /** Stops the cache: a backend outside the process releases its fleet leases and its connections. */
    @Override
    public void stop() {
        this.running = false;
        this.cache.stop();
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return SMART_LIFECYCLE_PHASE;
    }
}
