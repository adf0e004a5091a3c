package io.github.litellmcache.completion;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.StreamWriteConstraints;

/**
 * Deep, unmodifiable copies of parameter values, noting whether every value is plain: text,
 * numbers, booleans, messages whose own parts are plain, and lists and maps of them with text keys. Two plain values are equal exactly when
 * their JSON forms are, which lets the cache key of equal parameters be computed once. Requests are
 * built on every call, so this is one pass of plain loops.
 */
final class PlainValues {

    /**
     * The deepest a value may nest lists and maps: with the request's own object and the cache key's
     * two around it, that is Jackson's default limit on nesting ({@link StreamWriteConstraints#DEFAULT_MAX_DEPTH}),
     * which writing the request to the provider or its key would hit. Copying stops there, so that a
     * deeper value is refused before it can exhaust the caller's stack.
     */
    static final int MAX_DEPTH = StreamWriteConstraints.DEFAULT_MAX_DEPTH - 2;

    private boolean plain = true;

    /** Marks the values as not plain, for values taken over without a copy. */
    void notPlain() {
        this.plain = false;
    }

    /** Whether every value copied so far is plain. */
    boolean allPlain() {
        return this.plain;
    }

    /**
     * {@code value} with every list and map in it copied into an unmodifiable one, recursively; throws
     * {@link IllegalArgumentException} naming {@code name} (never quoting the value) when it nests
     * lists and maps more than {@link #MAX_DEPTH} deep.
     */
    <T> @Nullable T copy(String name, @Nullable T value) {
        return copy(name, value, 0);
    }

    @SuppressWarnings("unchecked")
    private <T> @Nullable T copy(String name, @Nullable T value, int depth) {
        if ((value instanceof List<?> || value instanceof Map<?, ?>) && depth == MAX_DEPTH) {
            throw new IllegalArgumentException(name + " nests lists and maps more than " + MAX_DEPTH
                    + " levels deep, past what a provider call can send: flatten it");
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(copy(name, element, depth + 1));
            }
            return (T) Collections.unmodifiableList(copy);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>((int) (map.size() / 0.75f) + 1);
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                this.plain &= entry.getKey() instanceof String;
                copy.put(entry.getKey(), copy(name, entry.getValue(), depth + 1));
            }
            return (T) Collections.unmodifiableMap(copy);
        }
        this.plain &= isPlainLeaf(value);
        return value;
    }

    private static boolean isPlainLeaf(@Nullable Object value) {
        if (value instanceof ChatMessage message) {
            return message.isPlain();
        }
        return value == null
                || value instanceof String
                || value instanceof Boolean
                || value instanceof Integer
                || value instanceof Long
                || value instanceof Double
                || value instanceof Float
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigDecimal
                || value instanceof BigInteger
                || value instanceof Enum<?>;
    }
}
