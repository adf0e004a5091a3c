package io.github.litellmcache.cache.engine;

import org.jspecify.annotations.Nullable;

/**
 * What a backend read gave: a value, nothing, or a failure, after which the call does not write
 * either, so that a slow or failing backend delays it at most once.
 *
 * @param value what was found, or null
 * @param failed whether the backend failed
 * @param <T> an entry, or the entries of several keys
 */
record Read<T>(@Nullable T value, boolean failed) {

    private static final Read<?> EMPTY = new Read<>(null, false);

    private static final Read<?> FAILURE = new Read<>(null, true);

    static <T> Read<T> of(@Nullable T value) {
        return (value != null) ? new Read<>(value, false) : empty();
    }

    @SuppressWarnings("unchecked")
    static <T> Read<T> empty() {
        return (Read<T>) EMPTY;
    }

    @SuppressWarnings("unchecked")
    static <T> Read<T> failure() {
        return (Read<T>) FAILURE;
    }
}
