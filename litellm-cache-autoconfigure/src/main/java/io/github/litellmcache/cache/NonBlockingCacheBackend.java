package io.github.litellmcache.cache;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A {@link CacheBackend} whose store is reached without blocking, such as Redis through Lettuce or
 * S3 through the AWS SDK: it implements the asynchronous operations, and the blocking ones wait for
 * them.
 */
public interface NonBlockingCacheBackend extends CacheBackend {

    @Override
    Mono<CacheEntry> getAsync(CacheKey key);

    @Override
    Mono<Void> putAsync(CacheKey key, CacheEntry entry, @Nullable Duration ttl);

    @Override
    default @Nullable CacheEntry get(CacheKey key) {
        return getAsync(key).block();
    }

    @Override
    default void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        putAsync(key, entry, ttl).block();
    }
}
