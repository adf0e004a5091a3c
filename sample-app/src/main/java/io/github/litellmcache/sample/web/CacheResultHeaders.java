package io.github.litellmcache.sample.web;

import io.github.litellmcache.completion.LlmResponse;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Answers with a response as JSON and reports the cache's outcome in headers: {@value #CACHE_HIT}
 * ({@code true} or {@code false}), {@value #CACHE_KEY} (omitted when the call did not use the
 * cache) and {@value #CACHE_STALE} ({@code true} when an entry past its TTL answered because the
 * provider failed; omitted otherwise).
 */
final class CacheResultHeaders {

    static final String CACHE_HIT = "x-litellm-cache-hit";

    static final String CACHE_KEY = "x-litellm-cache-key";

    static final String CACHE_STALE = "x-litellm-cache-stale";

    private CacheResultHeaders() {}

    static Mono<ServerResponse> ok(LlmResponse response) {
        return ok(response, response);
    }

    /** {@code body} as the JSON answer, with the headers of {@code response}, of which it is a rendering. */
    static Mono<ServerResponse> ok(LlmResponse response, Object body) {
        return ServerResponse.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .headers(headers -> {
                    headers.set(CACHE_HIT, Boolean.toString(response.cacheHit()));
                    if (response.cacheKey() != null) {
                        headers.set(CACHE_KEY, response.cacheKey());
                    }
                    if (response.cacheStale()) {
                        headers.set(CACHE_STALE, "true");
                    }
                })
                .bodyValue(body);
    }
}
