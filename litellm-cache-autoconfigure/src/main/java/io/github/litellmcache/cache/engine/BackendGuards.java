package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheRecorder;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where every backend, an application's own included, is put behind its {@link GuardedBackend}:
 * each call asks for the guard of the backend it uses, the health indicator for the current one.
 * Holds the guard of the backend asked for last, which is the cache's current backend but for the
 * moment it is replaced, so that a replaced backend's guard is not kept.
 */
public final class BackendGuards {

    private final Duration timeout;
    private final Duration cooldown;
    private final List<CacheRecorder> recorders;

    private volatile @Nullable GuardedBackend last;

    /**
     * @param timeout the deadline of each read and write of a remote backend
     * @param cooldown how long a remote backend is skipped after repeated failures
     * @param recorders told how long each backend operation took
     */
    public BackendGuards(Duration timeout, Duration cooldown, List<CacheRecorder> recorders) {
        this.timeout = timeout;
        this.cooldown = cooldown;
        this.recorders = List.copyOf(recorders);
    }

    /** The guard of {@code backend}, made (and a remote backend's warm-up started) the first time. */
    public GuardedBackend guard(CacheBackend backend) {
        GuardedBackend last = this.last;
        return (last != null && last.backend() == backend) ? last : replace(backend);
    }

    private synchronized GuardedBackend replace(CacheBackend backend) {
        GuardedBackend last = this.last;
        if (last != null && last.backend() == backend) {
            return last;
        }
        GuardedBackend guard = new GuardedBackend(backend, this.timeout, this.cooldown, this.recorders);
        this.last = guard;
        return guard;
    }
}
