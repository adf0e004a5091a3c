package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheRecorder;
import io.github.litellmcache.cache.Timeouts;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where every backend, an application's own included, is put behind its {@link GuardedBackend}:
 * each call asks for the guard of the backend it uses, the health indicator for the current one.
 * Holds the guards of the last two backends asked for: the cache's current one and, while calls
 * begun before {@code LlmCache.update} still run on it, the one it replaced, so that calls on the two
 * taking turns keep their guards (circuit breaker, warm-up) rather than making them anew; an older
 * backend's guard is not kept.
 */
public final class BackendGuards {

    private final List<CacheRecorder> recorders;

    private volatile Timeouts timeouts;

    private volatile @Nullable GuardedBackend last;

    private volatile @Nullable GuardedBackend previous;

    /**
     * @param timeouts the deadline and cool-down of remote backends until {@link #guard(CacheBackend, Timeouts)}
     *     says others
     * @param recorders told how long each backend operation took
     */
    public BackendGuards(Timeouts timeouts, List<CacheRecorder> recorders) {
        this.timeouts = timeouts;
        this.recorders = List.copyOf(recorders);
    }

    /**
     * The guard of a backend just made for settings with these {@code timeouts}, which later guards
     * take too; a remote backend's warm-up starts now.
     */
    public synchronized GuardedBackend guard(CacheBackend backend, Timeouts timeouts) {
        this.timeouts = timeouts;
        GuardedBackend guard = new GuardedBackend(backend, timeouts.timeout(), timeouts.cooldown(), this.recorders);
        this.previous = this.last;
        this.last = guard;
        return guard;
    }

    /** The guard of {@code backend}, made (and a remote backend's warm-up started) the first time. */
    public GuardedBackend guard(CacheBackend backend) {
        GuardedBackend held = held(backend);
        return (held != null) ? held : replace(backend);
    }

    private synchronized GuardedBackend replace(CacheBackend backend) {
        GuardedBackend held = held(backend);
        return (held != null) ? held : guard(backend, this.timeouts);
    }

    private @Nullable GuardedBackend held(CacheBackend backend) {
        GuardedBackend last = this.last;
        if (last != null && last.backend() == backend) {
            return last;
        }
        GuardedBackend previous = this.previous;
        return (previous != null && previous.backend() == backend) ? previous : null;
    }
}
