package io.github.litellmcache.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where cache entries are stored: the SPI of the local, Redis and S3 backends. An application's
 * own {@code CacheBackend} bean replaces the configured one. Implementations are thread-safe and
 * may throw: the cache wraps every backend, an application's own included, in a guard that times
 * each operation, turns a failure into a miss and, unless the backend is {@linkplain #isInProcess()
 * in process}, gives each operation the {@code litellm.cache.timeout} deadline and skips the backend
 * after repeated failures.
 */
public interface CacheBackend extends AutoCloseable {

    /** Operations in flight at once in the default bulk operations. */
    int BULK_CONCURRENCY = 16;

    /** A short name for logs and metrics, such as {@code local} or {@code redis}. */
    String name();

    /**
     * Where the store is, for the logs an outage writes: its address or bucket and the properties that set it, never a
     * secret; empty (the default) when the {@linkplain #name() name} says enough.
     */
    default String location() {
        return "";
    }

    /**
     * How many keys one round of this backend's bulk operations carries: the guard gives a backend outside the process
     * at most this many keys per {@link #getAllAsync} or {@link #putAllAsync}, each with the deadline of one operation.
     * By default {@link #BULK_CONCURRENCY}, the keys the default bulk operations send at once; a backend that reads
     * many keys in one request answers more.
     */
    default int bulkBatchSize() {
        return BULK_CONCURRENCY;
    }

    /**
     * Whether the entries are in this process's memory, so that an operation cannot hang: such a
     * backend gets no deadline, no circuit breaker and no warm-up, which would only cost time.
     */
    default boolean isInProcess() {
        return false;
    }

    /**
     * The entry under {@code key} if this backend holds a copy in process memory (a near tier), found without I/O;
     * null otherwise. The guard asks it first, so that such a hit pays for no deadline and no circuit breaker.
     */
    default @Nullable CacheEntry nearEntry(CacheKey key) {
        return null;
    }

    /** The entry under {@code key}, or null when there is none or it has expired. */
    @Nullable
    CacheEntry get(CacheKey key);

    /**
     * Stores {@code entry} under {@code key}, replacing any entry there. A null {@code ttl} means
     * no expiry; a zero {@code ttl} stores nothing.
     */
    void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl);

    /** Removes every entry this cache stored, and nothing else. */
    void clear();

    /**
     * Removes the entries under {@code keys}: those that a write begun before a clear stored after it ({@link
     * ClearFence}). By default {@link #clear()}, which removes them with every other entry; backends override it to
     * remove those alone.
     */
    default void remove(Collection<CacheKey> keys) {
        clear();
    }

    /**
     * {@link #get} without blocking the subscriber's thread; empty when there is no entry. Remote
     * backends override it with a non-blocking client.
     */
    default Mono<CacheEntry> getAsync(CacheKey key) {
        return Mono.fromSupplier(() -> get(key));
    }

    /** {@link #put} without blocking the subscriber's thread. */
    default Mono<Void> putAsync(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        return Mono.fromRunnable(() -> put(key, entry, ttl));
    }

    /**
     * The entries found under {@code keys}; keys without an entry are left out. Backends override it
     * to read in one round trip.
     */
    default Map<CacheKey, CacheEntry> getAll(Collection<CacheKey> keys) {
        Map<CacheKey, CacheEntry> found = new HashMap<>();
        for (CacheKey key : keys) {
            CacheEntry entry = get(key);
            if (entry != null) {
                found.put(key, entry);
            }
        }
        return found;
    }

    /** Stores every entry with the same {@code ttl}, as {@link #put} does. */
    default void putAll(Map<CacheKey, CacheEntry> entries, @Nullable Duration ttl) {
        entries.forEach((key, entry) -> put(key, entry, ttl));
    }

    /** {@link #getAll} without blocking: by default {@link #getAsync} for every key, at most 16 at a time. */
    default Mono<Map<CacheKey, CacheEntry>> getAllAsync(Collection<CacheKey> keys) {
        return Flux.fromIterable(keys)
                .flatMap(key -> getAsync(key).map(entry -> Map.entry(key, entry)), BULK_CONCURRENCY)
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /** {@link #putAll} without blocking: by default {@link #putAsync} for every entry, at most 16 at a time. */
    default Mono<Void> putAllAsync(Map<CacheKey, CacheEntry> entries, @Nullable Duration ttl) {
        return Flux.fromIterable(entries.entrySet())
                .flatMap(entry -> putAsync(entry.getKey(), entry.getValue(), ttl), BULK_CONCURRENCY)
                .then();
    }

    /**
     * The coordination of identical misses across the instances sharing this backend, or null when
     * each instance calls the provider on its own (the default).
     */
    default @Nullable FleetLeases fleetLeases() {
        return null;
    }

    /**
     * Releases connections and memory; the backend is not used afterwards. May be called more than once, and from
     * two threads at a time: {@link LlmCache} closes a backend it owns once replaced, in the background, and as the
     * application context stops or closes. Only the first call may release anything. An operation asked afterwards (by
     * a call still running at shutdown) fails with {@link CacheBackendClosedException}.
     */
    @Override
    default void close() {}
}
