package io.github.litellmcache.completion;

import io.github.litellmcache.cache.CacheOptions;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A request to a model: the provider parameters, which make the cache key, and LiteLLM's options,
 * which are not sent to the provider and never enter the key.
 */
public interface LlmRequest {

    /** The model, optionally prefixed by its provider ({@code azure/<deployment>}, {@code openai/<model>}). */
    String model();

    /**
     * The provider parameters under their OpenAI wire names ({@code model}, {@code messages},
     * {@code temperature}, {@code input}, ...): the "kwargs" a custom key generator reads.
     */
    Map<String, Object> params();

    /**
     * Whether every parameter is a plain value (text, number, boolean, message, or an unmodifiable
     * list or map of them), so that requests with equal {@link #params()} are known to have the
     * same cache key.
     */
    default boolean hasPlainParams() {
        return false;
    }

    /** {@code false} bypasses the cache for this call; {@code true} opts it in when the mode is default-off. */
    @Nullable
    Boolean caching();

    /** Per-request cache options (LiteLLM's {@code cache={...}}). */
    @Nullable
    CacheOptions cache();

    /** Answer with this text without calling the provider (LiteLLM's {@code mock_response}). */
    @Nullable
    String mockResponse();

    /** API key for this call, over the configured one. */
    @Nullable
    String apiKey();

    /** Base URL of the provider for this call, over the configured one. */
    @Nullable
    String apiBase();

    /** API version for this call (Azure), over the configured one. */
    @Nullable
    String apiVersion();

    /** Caller's metadata, passed to callbacks, never sent nor part of the key. */
    Map<String, Object> metadata();

    /** Longest time to wait for the provider. */
    @Nullable
    Duration timeout();
}
