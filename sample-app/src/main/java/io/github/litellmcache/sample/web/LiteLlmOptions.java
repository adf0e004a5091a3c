package io.github.litellmcache.sample.web;

import io.github.litellmcache.cache.CacheOptions;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * LiteLLM's per-request options as its proxy reads them from the body; they steer the cache and
 * are never sent to the provider: {@code "caching": false} bypasses the cache, {@code "cache":
 * {"no-cache": true, "no-store": true, "ttl": 600, "s-maxage": 60, "namespace": "team-a"}} (seconds)
 * sets the cache options. {@code "mock_response"} is refused: a mocked answer is stored under the
 * key of the real request, so any client could plant answers for everyone (the sample's mock
 * provider is {@code litellm.mock.enabled}).
 *
 * @param caching whether to use the cache, or null for the configured mode
 * @param cache the cache options, or null
 */
record LiteLlmOptions(@Nullable Boolean caching, @Nullable CacheOptions cache) {

    /** The body fields these options are read from. */
    static final Set<String> FIELDS = Set.of("caching", "cache", "mock_response");

    private static final Set<String> CACHE_FIELDS =
            Set.of("no-cache", "no-store", "ttl", "s-maxage", "namespace", "stale-if-error");

    /** The options of {@code body}, with the namespace of the caller's {@code scope}. */
    static LiteLlmOptions read(JsonFields body, CacheScope scope) {
        if (body.string("mock_response") != null) {
            throw InvalidRequestException.invalidValue(
                    "mock_response",
                    "mock_response is not accepted by this endpoint: a mocked answer would be"
                            + " cached as the answer to the real request; remove the field");
        }
        return new LiteLlmOptions(body.bool("caching"), scope.apply(cacheOptions(body.object("cache"), scope)));
    }

    private static @Nullable CacheOptions cacheOptions(@Nullable JsonFields cache, CacheScope scope) {
        if (cache == null) {
            return null;
        }
        cache.others(CACHE_FIELDS).keySet().stream().findFirst().ifPresent(unknown -> {
            throw InvalidRequestException.invalidValue(
                    cache.field(unknown),
                    cache.field(unknown)
                            + " is not a cache option: use no-cache, no-store, ttl, s-maxage, namespace or stale-if-error");
        });
        return CacheOptions.builder()
                .noCache(Boolean.TRUE.equals(cache.bool("no-cache")))
                .noStore(Boolean.TRUE.equals(cache.bool("no-store")))
                .ttl(seconds(cache, "ttl"))
                .sMaxAge(seconds(cache, "s-maxage"))
                .namespace(scope.requested(cache.string("namespace"), cache.field("namespace")))
                .staleIfError(seconds(cache, "stale-if-error"))
                .build();
    }

    private static @Nullable Duration seconds(JsonFields cache, String name) {
        Double seconds = cache.number(name);
        if (seconds == null) {
            return null;
        }
        long most = CacheOptions.MAX_DURATION.toSeconds();
        if (seconds.isNaN() || seconds < 0 || seconds > most) {
            throw InvalidRequestException.invalidValue(
                    cache.field(name), cache.field(name) + " must be a number of seconds from 0 to " + most);
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
