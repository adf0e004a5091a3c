package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheRecorder;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.Timeouts;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Where every backend, an application's own included, is put behind its {@link GuardedBackend}:
 * each call asks for the guard of the backend it uses, the health indicator for the current one.
 * Holds two guards: that of the backend made last ({@link #guard(CacheBackend, Timeouts)}), which calls
 * use from then on, and that of the last other backend asked for, such as the one {@code LlmCache.update}
 * replaced while calls begun before still run on it; so calls on the two taking turns keep their
 * guards (circuit breaker, warm-up) rather than making them anew. Calls on older backends take turns in
 * the second place only: they never take the current backend's guard away.
 */
public final class BackendGuards {

    private final List<CacheRecorder> recorders;

    private final List<Consumer<GuardedBackend>> listeners = new CopyOnWriteArrayList<>();

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
     * Guards each backend {@code cache} is handed, from the one calls use now: an application's own {@link LlmCache}
     * included, whose factory need not call {@link #guard(CacheBackend, Timeouts)}.
     */
    public void follow(LlmCache cache) {
        cache.onBackend(state -> guard(state.backend(), state.settings().timeouts()));
    }

    /**
     * The guard of a backend just made for settings with these {@code timeouts}, which later guards
     * take too; a remote backend's warm-up starts now, unless it is guarded already (a factory that
     * guards what it makes, or a backend switched back to), whose guard it keeps.
     */
    public synchronized GuardedBackend guard(CacheBackend backend, Timeouts timeouts) {
        this.timeouts = timeouts;
        GuardedBackend held = held(backend);
        if (held != null && held == this.last) {
            return held;
        }
        GuardedBackend guard = (held != null) ? held : made(backend);
        this.previous = this.last;
        this.last = guard;
        this.listeners.forEach(listener -> listener.accept(guard));
        return guard;
    }

    /**
     * Tells {@code listener} of the guard that calls use now, if any, then of each backend made from then on
     * ({@link #guard(CacheBackend, Timeouts)}), as metrics follow {@code LlmCache.update}.
     */
    public synchronized void onGuarded(Consumer<GuardedBackend> listener) {
        this.listeners.add(listener);
        GuardedBackend last = this.last;
        if (last != null) {
            listener.accept(last);
        }
    }

    /** The guard of {@code backend}, made (and a remote backend's warm-up started) the first time. */
    public GuardedBackend guard(CacheBackend backend) {
        GuardedBackend held = held(backend);
        return (held != null) ? held : replace(backend);
    }

    private synchronized GuardedBackend replace(CacheBackend backend) {
        GuardedBackend held = held(backend);
        if (held != null) {
            return held;
        }
        if (this.last == null) {
            return guard(backend, this.timeouts);
        }
        GuardedBackend guard = made(backend);
        this.previous = guard;
        return guard;
    }

    private GuardedBackend made(CacheBackend backend) {
        Timeouts timeouts = this.timeouts;
        return new GuardedBackend(backend, timeouts.timeout(), timeouts.cooldown(), this.recorders);
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
