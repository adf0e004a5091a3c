package io.github.litellmcache.cache.near;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.LocalLimits;
import io.github.litellmcache.cache.local.EntryWeights;
import io.github.litellmcache.cache.local.TierUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * The entries of a near tier, keyed by qualified key ({@code <namespace>:<key>}), weighed as local entries are and
 * expiring each after its own time. An entry read from the remote store is put only if nothing invalidated its key
 * (or everything) since the remote operation began: each key hashes to one of {@link #STRIPES} counters that an
 * invalidation bumps before it removes the entry, and a put that sees its counter moved removes what it put. While
 * the source of invalidations is down, the tier is {@linkplain #suspend() suspended}: empty, neither read nor filled.
 */
final class NearEntries {

    private static final int STRIPES = 1024;

    private final Cache<String, Held> cache;
    private final EntryWeights weights;
    private final TierUsage usage;
    private final AtomicLongArray invalidations = new AtomicLongArray(STRIPES);
    private final AtomicLong flushes = new AtomicLong();
    private volatile boolean usable;

    /** How many times the tier was suspended: a resume decided on before a later suspension does not undo it. */
    private long suspensions;

    NearEntries(DataSize maxMemory, boolean usable) {
        this.weights = new EntryWeights(new LocalLimits(Long.MAX_VALUE, maxMemory));
        this.usage = new TierUsage(this.weights);
        this.cache = this.usage.of(Caffeine.newBuilder()
                .maximumWeight(this.weights.maximumWeight())
                .weigher((String key, Held held) -> held.weight())
                .expireAfter(Expiry.writing((String key, Held held) -> Duration.ofNanos(held.ttlNanos())))
                .evictionListener(this.usage)
                .executor(Runnable::run)
                .build());
        this.usable = usable;
    }

    /** The entry under {@code key}, or null when there is none or the tier is suspended. */
    @Nullable
    CacheEntry get(String key) {
        if (!this.usable) {
            return null;
        }
        Held held = this.cache.getIfPresent(key);
        return (held != null) ? held.entry() : null;
    }

    /** Taken before a remote operation on {@code key}, to put its result only if nothing changed meanwhile. */
    Stamp stamp(String key) {
        int stripe = stripe(key);
        return new Stamp(key, stripe, this.invalidations.get(stripe), this.flushes.get());
    }

    /**
     * Puts {@code entry} for at most {@code ttlNanos}, and no longer than it is fresh, unless the key was invalidated
     * since {@code stamp}.
     */
    void put(Stamp stamp, CacheEntry entry, long ttlNanos) {
        long holdNanos = Math.min(ttlNanos, freshNanos(entry));
        if (!this.usable || holdNanos <= 0) {
            return;
        }
        this.cache.put(stamp.key(), new Held(entry, this.weights.weigh(this.weights.estimatedSize(entry)), holdNanos));
        if (!this.usable
                || this.invalidations.get(stamp.stripe()) != stamp.invalidations()
                || this.flushes.get() != stamp.flushes()) {
            this.cache.invalidate(stamp.key());
        }
    }

    /** How long {@code entry} stays fresh from now: a copy never outlives the entry's TTL. */
    private static long freshNanos(CacheEntry entry) {
        Instant freshUntil = entry.freshUntil();
        if (freshUntil == null) {
            return Long.MAX_VALUE;
        }
        Duration fresh = Duration.between(Instant.now(), freshUntil);
        return fresh.isNegative() ? 0 : NearCacheBackend.nanos(fresh);
    }

    /** Removes {@code key}, and keeps a remote read that began before from putting it back. */
    void invalidate(String key) {
        this.invalidations.incrementAndGet(stripe(key));
        this.cache.invalidate(key);
    }

    /** Removes every entry, and keeps remote reads that began before from putting theirs. */
    void invalidateAll() {
        this.flushes.incrementAndGet();
        this.cache.invalidateAll();
    }

    /** Empties the tier and stops using it, as invalidations may be missed from now on. */
    synchronized void suspend() {
        this.suspensions++;
        this.usable = false;
        invalidateAll();
    }

    /** The number of suspensions so far, read before deciding to {@linkplain #resume(long) resume}. */
    synchronized long suspensions() {
        return this.suspensions;
    }

    /**
     * Empties the tier and uses it again, once invalidations arrive again, unless it was suspended since
     * {@code suspensions} was read (the reason to resume no longer holds); a tier in use keeps its entries.
     */
    synchronized void resume(long suspensions) {
        if (this.suspensions == suspensions && !this.usable) {
            invalidateAll();
            this.usable = true;
        }
    }

    boolean isUsable() {
        return this.usable;
    }

    /** The estimated heap all entries hold, in bytes. */
    long weight() {
        this.cache.cleanUp();
        return this.weights.bytes(
                this.cache.policy().eviction().orElseThrow().weightedSize().orElse(0));
    }

    TierUsage usage() {
        return this.usage;
    }

    private static int stripe(String key) {
        return key.hashCode() & (STRIPES - 1);
    }

    record Stamp(String key, int stripe, long invalidations, long flushes) {}

    private record Held(CacheEntry entry, int weight, long ttlNanos) {}
}
