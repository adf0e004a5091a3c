package io.github.litellmcache.cache;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Where cache entries are stored: the SPI of the local, Redis and S3 backends. An application's
 * own {@code CacheBackend} bean replaces the configured one. Implementations are thread-safe.
 */
public interface CacheBackend extends AutoCloseable {

    /** A short name for logs and metrics, such as {@code local} or {@code redis}. */
    String name();

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

    /** Releases connections; the backend is not used afterwards. */
    @Override
    default void close() {}
}
