package io.github.litellmcache.completion;

import org.jspecify.annotations.Nullable;

/** What a model answered: a {@link ChatCompletion} or an {@link EmbeddingResponse}. */
public interface LlmResponse {

    /** Tokens used; for a cache hit, those the original call used. */
    @Nullable
    Usage usage();

    /** Whether this response was served from the cache. */
    boolean cacheHit();

    /**
     * Whether this response is an entry past its TTL that answered because the provider failed
     * ({@code staleIfError}); {@link #cacheHit()} is true too.
     */
    boolean cacheStale();

    /** The cache key of the call, or null when the call did not use the cache. */
    @Nullable
    String cacheKey();

    /**
     * Whether the response holds at least one choice (each with its message) or embedding (each
     * vector of finite numbers), so that it may be cached.
     */
    boolean isCacheable();

    /** This response marked with the cache's outcome, not stale. */
    default LlmResponse withCacheResult(boolean cacheHit, @Nullable String cacheKey) {
        return withCacheResult(cacheHit, false, cacheKey);
    }

    /** This response marked with the cache's outcome. */
    LlmResponse withCacheResult(boolean cacheHit, boolean cacheStale, @Nullable String cacheKey);
}
