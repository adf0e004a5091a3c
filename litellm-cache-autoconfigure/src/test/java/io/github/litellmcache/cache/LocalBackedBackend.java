package io.github.litellmcache.cache;

import io.github.litellmcache.cache.local.LocalCacheBackend;
import java.time.Duration;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * A backend of a test whose entries a {@link LocalCacheBackend} keeps, in process or standing in for a remote one
 * (then guarded by a deadline and a circuit breaker): a test overrides the operations it watches, holds or fails, and
 * tells whether the cache closed it.
 */
public class LocalBackedBackend implements CacheBackend {

    protected final LocalCacheBackend local = new LocalCacheBackend(100);

    private final String name;

    private final boolean inProcess;

    /** Whether {@link #close()} was called. */
    public volatile boolean closed;

    /** An in-process backend called {@code name}. */
    public LocalBackedBackend(String name) {
        this(name, true);
    }

    public LocalBackedBackend(String name, boolean inProcess) {
        this.name = name;
        this.inProcess = inProcess;
    }

    @Override
    public String name() {
        return this.name;
    }

    @Override
    public boolean isInProcess() {
        return this.inProcess;
    }

    @Override
    public @Nullable CacheEntry get(CacheKey key) {
        return this.local.get(key);
    }

    @Override
    public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        this.local.put(key, entry, ttl);
    }

    @Override
    public void clear() {
        this.local.clear();
    }

    @Override
    public void remove(Collection<CacheKey> keys) {
        this.local.remove(keys);
    }

    @Override
    public void close() {
        this.closed = true;
    }
}
