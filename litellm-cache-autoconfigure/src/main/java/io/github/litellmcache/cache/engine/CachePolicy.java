package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheMode;
import io.github.litellmcache.cache.CacheOptions;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.LlmResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Whether and how a call uses the cache, from the cache's switch and settings and the request's
 * own options: a pure function of them (and of the key generator), kept apart from the engine so
 * that every rule is tested without Spring, a backend or a provider.
 *
 * <ul>
 *   <li>bypass (no plan): the cache is off, the call type is not supported, the request says
 *       {@code caching(false)}, or the mode is default-off and the request does not say
 *       {@code caching(true)}, or the key generator gives no usable key ({@link CheckedKeys});
 *   <li>read unless {@code noCache} or a zero {@code sMaxAge}; write unless {@code noStore} or a
 *       zero TTL;
 *   <li>the request's namespace, TTL and {@code staleIfError} over the configured ones.
 * </ul>
 */
final class CachePolicy {

    private final CheckedKeys keys;

    CachePolicy(CheckedKeys keys) {
        this.keys = keys;
    }

    /** How the call uses the cache, or null when it bypasses it. */
    @Nullable
    CachePlan plan(boolean enabled, CacheSettings settings, CallType callType, LlmRequest request) {
        if (!enabled || !settings.supportedCallTypes().contains(callType) || !optedIn(settings, request)) {
            return null;
        }
        CacheOptions options = request.cache();
        String namespace =
                (options != null && options.namespace() != null) ? options.namespace() : settings.namespace();
        Duration ttl = (options != null && options.ttl() != null) ? options.ttl() : settings.ttl();
        Duration sMaxAge = (options != null) ? options.sMaxAge() : null;
        Duration staleIfError =
                (options != null && options.staleIfError() != null) ? options.staleIfError() : settings.staleIfError();
        boolean read = (options == null) || (!options.noCache() && !Duration.ZERO.equals(sMaxAge));
        boolean write = ((options == null) || !options.noStore()) && !Duration.ZERO.equals(ttl);
        String key = this.keys.keyOf(callType, request);
        if (key == null) {
            return null;
        }
        return new CachePlan(
                callType,
                new CacheKey(namespace, key),
                read,
                write,
                ttl,
                sMaxAge,
                staleIfError,
                responseType(callType),
                settings.maxStreamSize().toBytes());
    }

    private static boolean optedIn(CacheSettings settings, LlmRequest request) {
        Boolean caching = request.caching();
        return (settings.mode() == CacheMode.DEFAULT_OFF)
                ? Boolean.TRUE.equals(caching)
                : !Boolean.FALSE.equals(caching);
    }

    private static Class<? extends LlmResponse> responseType(CallType callType) {
        return switch (callType) {
            case EMBEDDING, AEMBEDDING -> EmbeddingResponse.class;
            case COMPLETION, ACOMPLETION -> ChatCompletion.class;
        };
    }
}
