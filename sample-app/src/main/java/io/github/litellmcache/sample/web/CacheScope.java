package io.github.litellmcache.sample.web;

import io.github.litellmcache.cache.CacheConfigurationException;
import io.github.litellmcache.cache.CacheOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Whose entries a call reads and writes. Unless {@code sample.cache.shared-across-api-keys} is set,
 * each API key has its own space: {@code key-} and the first 16 hex digits of the SHA-256 of the
 * caller's key ({@code Authorization: Bearer <key>}, or Azure's {@code api-key} header) prefix the
 * namespace the request names ({@code "cache": {"namespace": ...}}) or else the configured one, so
 * that no client reads another's entries or learns through {@code x-litellm-cache-hit} what others
 * asked. Callers without a key share the {@value #ANONYMOUS} space. The key itself is never kept.
 */
final class CacheScope {

    static final String ANONYMOUS = "anonymous";

    private static final String KEY_PREFIX = "key-";

    private static final int HASH_HEX_DIGITS = 16;

    /** The longest namespace a request may name when its API key's space prefixes it. */
    static final int MAX_REQUESTED_NAMESPACE =
            CacheOptions.MAX_NAMESPACE_LENGTH - KEY_PREFIX.length() - HASH_HEX_DIGITS - 1;

    private static final String BEARER = "bearer ";

    private final @Nullable String space;

    private final @Nullable String configuredNamespace;

    private CacheScope(@Nullable String space, @Nullable String configuredNamespace) {
        this.space = space;
        this.configuredNamespace = configuredNamespace;
    }

    /**
     * The scope of each request: shared by all when {@code shared}, else its API key's own space. A
     * configured namespace too long for a space to prefix is refused here, at startup, naming the
     * property: each call with an API key would otherwise be refused for a namespace it never named.
     */
    static Function<ServerRequest, CacheScope> scopes(boolean shared, @Nullable String configuredNamespace) {
        if (!shared && configuredNamespace != null && configuredNamespace.length() > MAX_REQUESTED_NAMESPACE) {
            throw CacheConfigurationException.invalid(
                    "litellm.cache.namespace",
                    "namespace",
                    configuredNamespace,
                    "a name of at most " + MAX_REQUESTED_NAMESPACE + " characters, as the sample prefixes it with the"
                            + " hash of each caller's API key (or set sample.cache.shared-across-api-keys to true)");
        }
        return request -> new CacheScope(shared ? null : space(request.headers().asHttpHeaders()), configuredNamespace);
    }

    /**
     * The namespace a request names in {@code field}, refused unless it is one the cache takes once
     * this scope prefixes it: not blank, without {@code :}, {@code /} (the separators of stored keys),
     * a control character, U+FFFE, U+FFFF or an unpaired surrogate, and within the room the scope leaves.
     */
    @Nullable
    String requested(@Nullable String namespace, String field) {
        if (namespace == null) {
            return null;
        }
        if (namespace.isBlank() || CacheOptions.holdsForbiddenCharacter(namespace)) {
            throw InvalidRequestException.invalidValue(
                    field,
                    field + " must not be blank nor hold ':', '/', a control character, U+FFFE, U+FFFF or an"
                            + " unpaired surrogate: send a name such as team-a");
        }
        int room = (this.space != null) ? MAX_REQUESTED_NAMESPACE : CacheOptions.MAX_NAMESPACE_LENGTH;
        if (namespace.length() > room) {
            String why = (this.space != null)
                    ? " (the rest of the " + CacheOptions.MAX_NAMESPACE_LENGTH + " holds the hash of your API key)"
                    : "";
            throw InvalidRequestException.invalidValue(
                    field,
                    field + " has " + namespace.length() + " characters: use at most " + room + why
                            + ", such as team-a");
        }
        return namespace;
    }

    /** {@code options} with this scope's namespace; null when neither the request nor the scope sets any. */
    @Nullable
    CacheOptions apply(@Nullable CacheOptions options) {
        if (this.space == null) {
            return options;
        }
        String requested = (options != null) ? options.namespace() : null;
        String named = (requested != null) ? requested : this.configuredNamespace;
        String namespace = (named != null) ? this.space + "." + named : this.space;
        CacheOptions given =
                (options != null) ? options : CacheOptions.builder().build();
        return new CacheOptions(
                given.noCache(), given.noStore(), given.ttl(), given.sMaxAge(), namespace, given.staleIfError());
    }

    private static String space(HttpHeaders headers) {
        String key = apiKey(headers);
        return (key != null) ? KEY_PREFIX + hash(key) : ANONYMOUS;
    }

    private static @Nullable String apiKey(HttpHeaders headers) {
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        String key =
                (authorization != null && authorization.toLowerCase(Locale.ROOT).startsWith(BEARER))
                        ? authorization.substring(BEARER.length())
                        : headers.getFirst("api-key");
        return (key != null && !key.isBlank()) ? key.strip() : null;
    }

    private static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(Arrays.copyOf(digest, HASH_HEX_DIGITS / 2));
        } catch (NoSuchAlgorithmException error) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", error);
        }
    }
}
