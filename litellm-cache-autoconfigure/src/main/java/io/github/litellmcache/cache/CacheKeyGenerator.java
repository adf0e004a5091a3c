package io.github.litellmcache.cache;

import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.LlmRequest;
import java.util.List;
import java.util.function.Function;

/**
 * Computes the cache key of a request (LiteLLM's {@code get_cache_key}). A bean of this type
 * replaces {@link DefaultCacheKeyGenerator}. Requests that must not share an answer must get
 * different keys.
 */
@FunctionalInterface
public interface CacheKeyGenerator {

    String generateKey(CallType callType, LlmRequest request);

    /**
     * The key of each item of an embedding request, which is cached item by item: by default the
     * key of the request with that item as its only input. Override it to digest what the items
     * share once per request; different items must get different keys.
     */
    default Function<String, String> itemKeys(CallType callType, EmbeddingRequest request) {
        return item -> generateKey(callType, request.withInput(List.of(item)));
    }

    /**
     * The key of each token array of an embedding request whose input is token arrays
     * ({@link EmbeddingRequest#inputTokens()}): by default the key of the request with that array
     * as its only input. Override it as {@link #itemKeys}; a token array's key must differ from
     * every text's key.
     */
    default Function<List<Integer>, String> tokenItemKeys(CallType callType, EmbeddingRequest request) {
        return tokens -> generateKey(callType, request.withInputTokens(List.of(tokens)));
    }
}
