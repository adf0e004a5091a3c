package io.github.litellmcache.cache.near;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.FleetLeases;
import io.github.litellmcache.cache.NearCacheSettings;
import io.github.litellmcache.cache.local.HeapShare;
import io.github.litellmcache.cache.local.TierUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;

/**
 * A remote backend with a near tier: an in-process copy of its entries, bounded by {@code litellm.cache.near.max-memory},
 * read first ({@link #nearEntry}, which the guard asks before paying for a remote operation), filled when a remote
 * read finds an entry and when a write succeeds, emptied by {@link #clear()}. Entries keep their stored time, so that
 * {@code s-maxage} judges them as it judges remote ones. Either a source of invalidations keeps the tier coherent
 * ({@link RedisTracking}), or entries live at most {@code litellm.cache.near.ttl} ({@link #bounded}).
 */
public final class NearCacheBackend implements CacheBackend {

    private final CacheBackend remote;
    private final NearEntries entries;
    private final long boundNanos;
    private final AutoCloseable invalidations;

    NearCacheBackend(
            CacheBackend remote,
            DataSize maxMemory,
            @Nullable Duration bound,
            Function<NearEntries, AutoCloseable> invalidations) {
        HeapShare.warnIfOverHalfOfTheHeap(maxMemory, "litellm.cache.near.max-memory");
        this.remote = remote;
        this.boundNanos = (bound != null) ? nanos(bound) : Long.MAX_VALUE;
        this.entries = new NearEntries(maxMemory, bound != null);
        this.invalidations = invalidations.apply(this.entries);
    }

    /**
     * {@code remote} with a near tier whose entries live at most {@code near.ttl}, for a store that sends no
     * invalidations (S3); {@code remote} itself when {@code near} is not enabled.
     */
    public static CacheBackend bounded(CacheBackend remote, NearCacheSettings near) {
        return near.enabled()
                ? new NearCacheBackend(remote, near.maxMemory(), near.ttl(), entries -> () -> {})
                : remote;
    }

    /** The remote backend behind the near tier. */
    public CacheBackend remote() {
        return this.remote;
    }

    /** Whether the near tier answers now: false while its source of invalidations is down. */
    public boolean isNearTierInUse() {
        return this.entries.isUsable();
    }

    /** The estimated heap the near entries hold, in bytes. */
    public long nearTierBytes() {
        return this.entries.weight();
    }

    /** What the near tier holds against {@code litellm.cache.near.max-memory}, and how many entries it evicted. */
    public TierUsage nearTierUsage() {
        return this.entries.usage();
    }

    @Override
    public String name() {
        return this.remote.name();
    }

    @Override
    public String location() {
        return this.remote.location();
    }

    /** The remote store's: a bulk read of the near tier is a remote one for the keys it does not hold. */
    @Override
    public int bulkBatchSize() {
        return this.remote.bulkBatchSize();
    }

    /** The remote store's leases: the near tier changes nothing in who calls the provider. */
    @Override
    public @Nullable FleetLeases fleetLeases() {
        return this.remote.fleetLeases();
    }

    @Override
    public @Nullable CacheEntry nearEntry(CacheKey key) {
        return this.entries.get(key.qualified());
    }

    @Override
    public @Nullable CacheEntry get(CacheKey key) {
        CacheEntry near = nearEntry(key);
        if (near != null) {
            return near;
        }
        NearEntries.Stamp stamp = this.entries.stamp(key.qualified());
        CacheEntry entry = this.remote.get(key);
        if (entry != null) {
            this.entries.put(stamp, entry, this.boundNanos);
        }
        return entry;
    }

    @Override
    public Mono<CacheEntry> getAsync(CacheKey key) {
        return Mono.defer(() -> {
            CacheEntry near = nearEntry(key);
            if (near != null) {
                return Mono.just(near);
            }
            NearEntries.Stamp stamp = this.entries.stamp(key.qualified());
            return this.remote.getAsync(key).doOnNext(entry -> this.entries.put(stamp, entry, this.boundNanos));
        });
    }

    @Override
    public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        NearEntries.Stamp stamp = this.entries.stamp(key.qualified());
        this.remote.put(key, entry, ttl);
        this.entries.put(stamp, entry, ttlNanos(ttl));
    }

    @Override
    public Mono<Void> putAsync(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        return Mono.defer(() -> {
            NearEntries.Stamp stamp = this.entries.stamp(key.qualified());
            return this.remote
                    .putAsync(key, entry, ttl)
                    .doOnSuccess(done -> this.entries.put(stamp, entry, ttlNanos(ttl)));
        });
    }

    @Override
    public Map<CacheKey, CacheEntry> getAll(Collection<CacheKey> keys) {
        Map<CacheKey, CacheEntry> found = new HashMap<>();
        Map<CacheKey, NearEntries.Stamp> missing = nearEntries(keys, found);
        if (!missing.isEmpty()) {
            found.putAll(filled(missing, this.remote.getAll(missing.keySet()), this.boundNanos));
        }
        return found;
    }

    @Override
    public Mono<Map<CacheKey, CacheEntry>> getAllAsync(Collection<CacheKey> keys) {
        return Mono.defer(() -> {
            Map<CacheKey, CacheEntry> found = new HashMap<>();
            Map<CacheKey, NearEntries.Stamp> missing = nearEntries(keys, found);
            if (missing.isEmpty()) {
                return Mono.just(found);
            }
            return this.remote.getAllAsync(missing.keySet()).map(remote -> {
                found.putAll(filled(missing, remote, this.boundNanos));
                return found;
            });
        });
    }

    @Override
    public void putAll(Map<CacheKey, CacheEntry> entries, @Nullable Duration ttl) {
        Map<CacheKey, NearEntries.Stamp> stamps = stamps(entries.keySet());
        this.remote.putAll(entries, ttl);
        filled(stamps, entries, ttlNanos(ttl));
    }

    @Override
    public Mono<Void> putAllAsync(Map<CacheKey, CacheEntry> entries, @Nullable Duration ttl) {
        return Mono.defer(() -> {
            Map<CacheKey, NearEntries.Stamp> stamps = stamps(entries.keySet());
            return this.remote.putAllAsync(entries, ttl).doOnSuccess(done -> filled(stamps, entries, ttlNanos(ttl)));
        });
    }

    /** Removes every entry of the remote store, then the near tier's. */
    @Override
    public void clear() {
        try {
            this.remote.clear();
        } finally {
            this.entries.invalidateAll();
        }
    }

    /** Removes the entries of {@code keys} from the remote store, then their copies in the near tier. */
    @Override
    public void remove(Collection<CacheKey> keys) {
        try {
            this.remote.remove(keys);
        } finally {
            keys.forEach(key -> this.entries.invalidate(key.qualified()));
        }
    }

    /**
     * Empties the near tier and stops using it, then closes the source of invalidations and the remote backend: a
     * closed backend may still be referenced (by the guard of a backend that {@code LlmCache.update} replaced), and must
     * not hold its entries' memory meanwhile.
     */
    @Override
    public void close() {
        this.entries.suspend();
        try {
            this.invalidations.close();
        } catch (Exception ex) {
            throw new IllegalStateException("closing the near tier's invalidations failed", ex);
        } finally {
            this.remote.close();
        }
    }

    /** Puts the near entries of {@code keys} in {@code found}, and gives the stamps of the others. */
    private Map<CacheKey, NearEntries.Stamp> nearEntries(Collection<CacheKey> keys, Map<CacheKey, CacheEntry> found) {
        List<CacheKey> missing = new ArrayList<>();
        for (CacheKey key : keys) {
            CacheEntry near = nearEntry(key);
            if (near != null) {
                found.put(key, near);
            } else {
                missing.add(key);
            }
        }
        return stamps(missing);
    }

    private Map<CacheKey, NearEntries.Stamp> stamps(Collection<CacheKey> keys) {
        Map<CacheKey, NearEntries.Stamp> stamps = new HashMap<>();
        keys.forEach(key -> stamps.put(key, this.entries.stamp(key.qualified())));
        return stamps;
    }

    /** Puts in the near tier those of {@code entries} that have a stamp; gives {@code entries}. */
    private Map<CacheKey, CacheEntry> filled(
            Map<CacheKey, NearEntries.Stamp> stamps, Map<CacheKey, CacheEntry> entries, long ttlNanos) {
        entries.forEach((key, entry) -> {
            NearEntries.Stamp stamp = stamps.get(key);
            if (stamp != null) {
                this.entries.put(stamp, entry, ttlNanos);
            }
        });
        return entries;
    }

    private long ttlNanos(@Nullable Duration ttl) {
        return (ttl != null) ? Math.min(nanos(ttl), this.boundNanos) : this.boundNanos;
    }

    /** {@code duration} in nanoseconds, {@code Long.MAX_VALUE} for one too long to count in them. */
    static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
