package io.github.litellmcache.cache.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.LocalLimits;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Entries in process, on Caffeine: bounded by {@code maximum-size} and by {@code max-memory}, the estimated size of all
 * entries, both enforced by one weight bound ({@link EntryWeights}), each with its own TTL through
 * Caffeine's {@link Expiry}. Values are held as they are; each is serialized once, when stored, only to
 * estimate its size. Caffeine's upkeep
 * (eviction, expiry) runs on the calling thread, in small amortized steps, rather than waking a
 * pool thread from the hit path.
 */
public final class LocalCacheBackend implements CacheBackend {

    private final Cache<CacheKey, Stored> cache;

    private final EntryWeights weights;

    /** A backend bounded by {@code limits}. */
    public LocalCacheBackend(LocalLimits limits) {
        this(limits, Ticker.systemTicker());
    }

    /** A backend of at most {@code maximumSize} entries within the default memory bound. */
    public LocalCacheBackend(long maximumSize) {
        this(new LocalLimits(maximumSize));
    }

    /** A backend bounded by {@code limits} whose TTLs run on {@code ticker}. */
    public LocalCacheBackend(LocalLimits limits, Ticker ticker) {
        this.weights = new EntryWeights(limits);
        this.cache = Caffeine.newBuilder()
                .maximumWeight(this.weights.maximumWeight())
                .<CacheKey, Stored>weigher((key, stored) -> stored.weight())
                .expireAfter(new PerEntryTtl())
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public boolean isInProcess() {
        return true;
    }

    @Override
    public @Nullable CacheEntry get(CacheKey key) {
        Stored stored = this.cache.getIfPresent(key);
        return (stored != null) ? stored.entry() : null;
    }

    @Override
    public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        if (ttl == null || !(ttl.isZero() || ttl.isNegative())) {
            this.cache.put(key, stored(entry, (ttl != null) ? saturatedNanos(ttl) : Long.MAX_VALUE));
        }
    }

    @Override
    public Map<CacheKey, CacheEntry> getAll(Collection<CacheKey> keys) {
        Map<CacheKey, CacheEntry> found = new HashMap<>();
        this.cache.getAllPresent(keys).forEach((key, stored) -> found.put(key, stored.entry()));
        return found;
    }

    @Override
    public void putAll(Map<CacheKey, CacheEntry> entries, @Nullable Duration ttl) {
        if (ttl == null || !(ttl.isZero() || ttl.isNegative())) {
            long nanos = (ttl != null) ? saturatedNanos(ttl) : Long.MAX_VALUE;
            Map<CacheKey, Stored> stored = new HashMap<>();
            entries.forEach((key, entry) -> stored.put(key, stored(entry, nanos)));
            this.cache.putAll(stored);
        }
    }

    @Override
    public Mono<Map<CacheKey, CacheEntry>> getAllAsync(Collection<CacheKey> keys) {
        return Mono.fromSupplier(() -> getAll(keys));
    }

    @Override
    public Mono<Void> putAllAsync(Map<CacheKey, CacheEntry> entries, @Nullable Duration ttl) {
        return Mono.fromRunnable(() -> putAll(entries, ttl));
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

    /** The estimated size in bytes of the entries, for tests and diagnostics; approximate while writers are active. */
    public long estimatedMemory() {
        this.cache.cleanUp();
        return this.cache.asMap().values().stream().mapToLong(Stored::size).sum();
    }

    private Stored stored(CacheEntry entry, long ttlNanos) {
        long size = this.weights.estimatedSize(entry);
        return new Stored(entry, ttlNanos, size, this.weights.weigh(size));
    }

    private static long saturatedNanos(Duration ttl) {
        try {
            return ttl.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** An entry with its TTL, its estimated size and its weight, computed once when it is stored. */
    private record Stored(CacheEntry entry, long ttlNanos, long size, int weight) {}

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
