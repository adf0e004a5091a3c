package io.github.litellmcache.cache;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Cache options of one request (LiteLLM's {@code cache={...}}); build them with {@link #builder()}.
 *
 * @param noCache do not read the cache; the fresh response is still stored
 * @param noStore do not store the response
 * @param ttl store the response with this TTL over the configured one; zero means do not store
 * @param sMaxAge accept an entry only if it is younger than this; zero means never accept one
 * @param namespace the namespace over the configured one
 * @param staleIfError over the configured one: keep the response this long past its TTL and, when the
 *     provider fails with a server error, a timeout or a connection failure, answer with an entry whose
 *     TTL ended less than this long ago (RFC 5861)
 */
public record CacheOptions(
        boolean noCache,
        boolean noStore,
        @Nullable Duration ttl,
        @Nullable Duration sMaxAge,
        @Nullable String namespace,
        @Nullable Duration staleIfError) {

    /**
     * The longest {@code ttl} or {@code sMaxAge}: ten years, longer than any answer stays useful and
     * within what every backend can store (Redis {@code PX}, S3 expiry dates). Leave the TTL unset
     * for entries that never expire.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(3650);

    /** The longest namespace, in characters, so that every stored key stays within S3's 1,024 bytes. */
    public static final int MAX_NAMESPACE_LENGTH = 64;

    public CacheOptions {
        requireInRange(ttl, "ttl");
        requireInRange(sMaxAge, "sMaxAge");
        requireInRange(staleIfError, "staleIfError");
        if (namespace != null) {
            requireValidNamespace(namespace);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Rejects a blank namespace and one holding {@code :} or {@code /}, the separators of stored
     * keys, or an unpaired surrogate, so that no namespace and key can make the stored key of another.
     */
    static void requireValidNamespace(String namespace) {
        if (namespace.length() > MAX_NAMESPACE_LENGTH) {
            throw new IllegalArgumentException("namespace has " + namespace.length() + " characters: use at most "
                    + MAX_NAMESPACE_LENGTH + ", such as team-a");
        }
        if (namespace.isBlank() || holdsForbiddenCharacter(namespace)) {
            throw new IllegalArgumentException("namespace is blank or holds ':', '/', a control character, U+FFFE,"
                    + " U+FFFF or an unpaired surrogate: use a non-blank name without them, such as team-a");
        }
    }

    /**
     * Whether {@code namespace} holds {@code :} or {@code /}, the separators of stored keys, a
     * control character, U+FFFE or U+FFFF, which S3 lists in XML that cannot be parsed
     * ({@link CacheKey#holdsUnlistableCharacter}), or an unpaired surrogate, which
     * Redis and S3 would store as the {@code ?} of another namespace: such a namespace is refused.
     */
    public static boolean holdsForbiddenCharacter(String namespace) {
        return namespace.contains(":")
                || namespace.contains("/")
                || CacheKey.holdsUnlistableCharacter(namespace)
                || CacheKey.unpairedSurrogate(namespace, 0) >= 0;
    }

    /** Whether {@code duration} is zero or positive and at most {@link #MAX_DURATION}. */
    public static boolean isWithinRange(Duration duration) {
        return !duration.isNegative() && duration.compareTo(MAX_DURATION) <= 0;
    }

    /** Rejects a negative duration and one longer than {@link #MAX_DURATION}, before any backend sees it. */
    static void requireInRange(@Nullable Duration duration, String name) {
        if (duration != null && !isWithinRange(duration)) {
            throw new IllegalArgumentException(name + " must be between zero and " + MAX_DURATION.toDays()
                    + " days, got " + duration + "; leave it unset to use the configured one");
        }
    }

    /** Builds {@link CacheOptions}. */
    public static final class Builder {

        private boolean noCache;
        private boolean noStore;
        private @Nullable Duration ttl;
        private @Nullable Duration sMaxAge;
        private @Nullable String namespace;
        private @Nullable Duration staleIfError;

        private Builder() {}

        /** Do not read the cache; the fresh response is still stored. */
        public Builder noCache(boolean noCache) {
            this.noCache = noCache;
            return this;
        }

        /** Do not store the response. */
        public Builder noStore(boolean noStore) {
            this.noStore = noStore;
            return this;
        }

        /** Store the response with this TTL; {@link Duration#ZERO} means do not store. */
        public Builder ttl(@Nullable Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        /** Accept an entry only if it is younger than this; zero means never accept one. */
        public Builder sMaxAge(@Nullable Duration sMaxAge) {
            this.sMaxAge = sMaxAge;
            return this;
        }

        /** The namespace of this call's entry, over the configured one. */
        public Builder namespace(@Nullable String namespace) {
            this.namespace = namespace;
            return this;
        }

        /**
         * Keep the response this long past its TTL and, when the provider fails with a server error, a
         * timeout or a connection failure, answer with an entry whose TTL ended less than this long ago;
         * over the configured {@code litellm.cache.stale-if-error}.
         */
        public Builder staleIfError(@Nullable Duration staleIfError) {
            this.staleIfError = staleIfError;
            return this;
        }

        public CacheOptions build() {
            return new CacheOptions(
                    this.noCache, this.noStore, this.ttl, this.sMaxAge, this.namespace, this.staleIfError);
        }
    }
}
