package io.github.litellmcache.completion;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Deep, unmodifiable copies of parameter values, noting whether every value is plain: text,
 * numbers, booleans, messages whose own parts are plain, and lists and maps of them with text keys. Two plain values are equal exactly when
 * their JSON forms are, which lets the cache key of equal parameters be computed once. Requests are
 * built on every call, so this is one pass of plain loops.
 */
final class PlainValues {

    private boolean plain = true;

    /** Marks the values as not plain, for values taken over without a copy. */
    void notPlain() {
        this.plain = false;
    }

    /** Whether every value copied so far is plain. */
    boolean allPlain() {
        return this.plain;
    }

    /** {@code value} with every list and map in it copied into an unmodifiable one, recursively. */
    @SuppressWarnings("unchecked")
    <T> @Nullable T copy(@Nullable T value) {
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(copy(element));
            }
            return (T) Collections.unmodifiableList(copy);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>((int) (map.size() / 0.75f) + 1);
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                this.plain &= entry.getKey() instanceof String;
                copy.put(entry.getKey(), copy(entry.getValue()));
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
