package io.github.litellmcache.completion;

import org.jspecify.annotations.Nullable;

/** What a model answered: a {@link ChatCompletion} or an {@link EmbeddingResponse}. */
public interface LlmResponse {

    /** Tokens used; for a cache hit, those the original call used. */
    @Nullable
    Usage usage();

    /** Whether this response was served from the cache. */
    boolean cacheHit();

    /** The cache key of the call, or null when the call did not use the cache. */
    @Nullable
    String cacheKey();

    /** Whether the response holds at least one choice or embedding, so that it may be cached. */
    boolean isCacheable();

    /** This response marked with the cache's outcome. */
    LlmResponse withCacheResult(boolean cacheHit, @Nullable String cacheKey);
}
