package io.github.litellmcache.cache.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
 * Entries in process, on Caffeine: bounded by {@code maximum-size} and by {@code max-memory}, the estimated heap all
 * entries hold, both enforced by one weight bound ({@link EntryWeights}). Values are held as they are; each is weighed
 * once, when stored, by one walk over it, never when read. Caffeine's upkeep (eviction) runs on the calling thread, in
 * small amortized steps, rather than waking a pool thread from the hit path.
 *
 * <p>Each entry has its own TTL, checked when it is read: an entry past it is removed then and never served, and one
 * that is not read again is evicted by the bounds like any other that is not read. The clock is read only for entries
 * with a TTL, as a clock read costs as much as the rest of a hit on some virtual machines, and Caffeine's own expiry
 * would read it on every read.
 */
public final class LocalCacheBackend implements CacheBackend {

    /** The end of the TTL of an entry that has none. */
    private static final long NEVER = Long.MAX_VALUE;

    /**
     * The longest TTL kept as one, about 146 years: ends of TTL wrap around as the ticker does, and are compared by
     * difference, which holds within half the range of a {@code long}.
     */
    private static final Duration LONGEST_TTL = Duration.ofNanos(Long.MAX_VALUE >> 1);

    private final Cache<CacheKey, Stored> cache;

    private final EntryWeights weights;

    private final Ticker ticker;

    private final TierUsage usage;

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
        HeapShare.warnIfOverHalfOfTheHeap(limits.maxMemory(), "litellm.cache.local.max-memory");
        this.weights = new EntryWeights(limits);
        this.ticker = ticker;
        this.usage = new TierUsage(this.weights);
        this.cache = this.usage.of(Caffeine.newBuilder()
                .maximumWeight(this.weights.maximumWeight())
                .<CacheKey, Stored>weigher((key, stored) -> stored.weight())
                .evictionListener(this.usage)
                .executor(Runnable::run)
                .build());
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
        return (stored != null && isLive(key, stored)) ? stored.entry() : null;
    }

    @Override
    public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        if (ttl == null || !(ttl.isZero() || ttl.isNegative())) {
            this.cache.put(key, stored(entry, expiresAt(ttl)));
        }
    }

    @Override
    public Map<CacheKey, CacheEntry> getAll(Collection<CacheKey> keys) {
        Map<CacheKey, CacheEntry> found = new HashMap<>();
        this.cache.getAllPresent(keys).forEach((key, stored) -> {
            if (isLive(key, stored)) {
                found.put(key, stored.entry());
            }
        });
        return found;
    }

    @Override
    public void putAll(Map<CacheKey, CacheEntry> entries, @Nullable Duration ttl) {
        if (ttl == null || !(ttl.isZero() || ttl.isNegative())) {
            long expiresAt = expiresAt(ttl);
            Map<CacheKey, Stored> stored = new HashMap<>();
            entries.forEach((key, entry) -> stored.put(key, stored(entry, expiresAt)));
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

    @Override
    public void remove(Collection<CacheKey> keys) {
        this.cache.invalidateAll(keys);
    }

    /**
     * Drops every entry: a closed backend is no longer used, but may still be referenced (the guard of a backend that
     * {@code LlmCache.update} replaced is kept for a while), and must not hold its entries' memory meanwhile.
     */
    @Override
    public void close() {
        this.cache.invalidateAll();
    }

    /**
     * The number of entries, those past their TTL that were not read since included, for tests and
     * diagnostics; approximate while writers are active.
     */
    public long size() {
        this.cache.cleanUp();
        return this.cache.estimatedSize();
    }

    /** The estimated size in bytes of the entries, for tests and diagnostics; approximate while writers are active. */
    public long estimatedMemory() {
        this.cache.cleanUp();
        return this.cache.asMap().values().stream().mapToLong(Stored::size).sum();
    }

    /** What the cache holds against its bounds, and how many entries they evicted, for metrics. */
    public TierUsage usage() {
        return this.usage;
    }

    private Stored stored(CacheEntry entry, long expiresAt) {
        long size = this.weights.estimatedSize(entry);
        return new Stored(entry, expiresAt, size, this.weights.weigh(size));
    }

    /** Whether {@code stored} is within its TTL; when it is not, it is removed. */
    private boolean isLive(CacheKey key, Stored stored) {
        if (stored.expiresAt() == NEVER || this.ticker.read() - stored.expiresAt() < 0) {
            return true;
        }
        this.cache.asMap().remove(key, stored);
        return false;
    }

    /**
     * When an entry stored now with {@code ttl} expires, on the ticker, whose readings may wrap past
     * {@code Long.MAX_VALUE}; {@link #NEVER} for none or a very long one, and a nanosecond earlier when it would fall on
     * {@link #NEVER}.
     */
    private long expiresAt(@Nullable Duration ttl) {
        if (ttl == null || ttl.compareTo(LONGEST_TTL) > 0) {
            return NEVER;
        }
        long expiresAt = this.ticker.read() + ttl.toNanos();
        return (expiresAt != NEVER) ? expiresAt : NEVER - 1;
    }

    /**
     * An entry with the end of its TTL (on the ticker), its estimated size and its weight, computed once when it is
     * stored.
     */
    private record Stored(CacheEntry entry, long expiresAt, long size, int weight) {}
}
