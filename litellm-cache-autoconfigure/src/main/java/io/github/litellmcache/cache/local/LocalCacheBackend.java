package io.github.litellmcache.cache.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Entries in process, on Caffeine: bounded by {@code maximum-size}, each with its own TTL through
 * Caffeine's {@link Expiry}. Values are held as they are, without serialization.
 */
public final class LocalCacheBackend implements CacheBackend {

    private final Cache<CacheKey, Stored> cache;

    public LocalCacheBackend(long maximumSize) {
        this(maximumSize, Ticker.systemTicker());
    }

    public LocalCacheBackend(long maximumSize, Ticker ticker) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(new PerEntryTtl())
                .ticker(ticker)
                .build();
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public @Nullable CacheEntry get(CacheKey key) {
        Stored stored = this.cache.getIfPresent(key);
        return (stored != null) ? stored.entry() : null;
    }

    @Override
    public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        if (ttl == null || !(ttl.isZero() || ttl.isNegative())) {
            this.cache.put(key, new Stored(entry, (ttl != null) ? saturatedNanos(ttl) : Long.MAX_VALUE));
        }
    }

    @Override
    public void clear() {
        this.cache.invalidateAll();
    }

    /** The number of entries, for tests and diagnostics; approximate while writers are active. */
    public long size() {
        this.cache.cleanUp();
        return this.cache.estimatedSize();
    }

    private static long saturatedNanos(Duration ttl) {
        try {
            return ttl.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private record Stored(CacheEntry entry, long ttlNanos) {}

    private static final class PerEntryTtl implements Expiry<CacheKey, Stored> {

        @Override
        public long expireAfterCreate(CacheKey key, Stored value, long currentTime) {
            return value.ttlNanos();
        }

        @Override
        public long expireAfterUpdate(CacheKey key, Stored value, long currentTime, long currentDuration) {
            return value.ttlNanos();
        }

        @Override
        public long expireAfterRead(CacheKey key, Stored value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
