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
 * Deep, unmodifiable copies of parameter values, and whether a value is plain: text, numbers,
 * booleans, messages, and lists and maps of them. Two plain values are equal exactly when their
 * JSON forms are, which lets the cache key of equal parameters be computed once.
 */
final class PlainValues {

    private PlainValues() {}

    /** {@code value} with every list and map in it copied into an unmodifiable one, recursively. */
    @SuppressWarnings("unchecked")
    static <T> @Nullable T copy(@Nullable T value) {
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(element -> copy.add(copy(element)));
            return (T) Collections.unmodifiableList(copy);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, element) -> copy.put(key, copy(element)));
            return (T) Collections.unmodifiableMap(copy);
        }
        return value;
    }

    /** Whether {@code value}, as copied by {@link #copy}, is plain all the way down. */
    static boolean isPlain(@Nullable Object value) {
        if (value == null
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
                || value instanceof Enum<?>
                || value instanceof ChatMessage) {
            return true;
        }
        if (value instanceof List<?> list) {
            return list.stream().allMatch(PlainValues::isPlain);
        }
        if (value instanceof Map<?, ?> map) {
            return map.keySet().stream().allMatch(key -> key instanceof String)
                    && map.values().stream().allMatch(PlainValues::isPlain);
        }
        return false;
    }
}
