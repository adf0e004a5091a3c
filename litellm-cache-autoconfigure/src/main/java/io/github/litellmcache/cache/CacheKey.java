package io.github.litellmcache.cache;

import org.jspecify.annotations.Nullable;

/**
 * Where an entry is stored: the namespace, if any, and the key of the request. Entries of one
 * namespace are never served to another.
 *
 * @param namespace the namespace, or null
 * @param key the request's key, from the {@link CacheKeyGenerator}
 */
public record CacheKey(@Nullable String namespace, String key) {

    /** {@code <namespace>:<key>}, or the key alone without a namespace. */
    public String qualified() {
        return (this.namespace != null) ? this.namespace + ":" + this.key : this.key;
    }

    /** Names the namespace only: keys are derived from request content and stay out of logs. */
    @Override
    public String toString() {
        return "CacheKey[namespace=" + this.namespace + "]";
    }
}
