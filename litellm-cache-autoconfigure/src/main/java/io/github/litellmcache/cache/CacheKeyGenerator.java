package io.github.litellmcache.cache;

import io.github.litellmcache.completion.LlmRequest;

/**
 * Computes the cache key of a request (LiteLLM's {@code get_cache_key}). A bean of this type
 * replaces {@link DefaultCacheKeyGenerator}. Requests that must not share an answer must get
 * different keys.
 */
@FunctionalInterface
public interface CacheKeyGenerator {

    String generateKey(CallType callType, LlmRequest request);
}
