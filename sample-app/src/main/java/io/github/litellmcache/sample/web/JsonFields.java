package io.github.litellmcache.sample.web;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Typed access to the fields of one JSON object as Jackson reads it into a {@code Map}. A field of
 * the wrong type throws {@link InvalidRequestException} naming the field; an absent or null field
 * reads as null.
 */
final class JsonFields {

    static final int MAX_MODEL_LENGTH = 256;

    /** What an embedding input may be, for the errors about token arrays. */
    private static final String INPUT_FORMS =
            ": send a string, an array of strings, an array of token ids or an array of arrays of token ids";

    private final Map<String, Object> fields;
    private final String path;

    private JsonFields(Map<String, Object> fields, String path) {
        this.fields = fields;
        this.path = path;
    }

    /** The top-level object of a request body. */
    static JsonFields of(Map<String, Object> body) {
        return new JsonFields(body, "");
    }

    @Nullable
    String string(String name) {
        Object value = this.fields.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw invalid(name, "a string");
    }

    /**
     * The field as a non-blank string; an absent, null or blank field throws, suggesting
     * {@code example} (a JSON value) as what to send.
     */
    String required(String name, String example) {
        String value = string(name);
        if (value == null || value.isBlank()) {
            throw missing(name, example);
        }
        return value;
    }

    /**
     * The {@code model} field: required, and at most {@value #MAX_MODEL_LENGTH} characters, since it
     * is logged with every call and names a route, never a text.
     */
    String model(String example) {
        String model = required("model", example);
        if (model.length() > MAX_MODEL_LENGTH) {
            throw InvalidRequestException.invalidValue(
                    field("model"), "model must be at most " + MAX_MODEL_LENGTH + " characters, such as " + example);
        }
        return model;
    }

    /** The error for a required field that is absent, suggesting {@code example} (a JSON value). */
    InvalidRequestException missing(String name, String example) {
        return InvalidRequestException.missing(field(name), where(), example);
    }

    /** This object as an error names it: {@code the request body}, or its field, such as {@code messages[0]}. */
    private String where() {
        return this.path.isEmpty() ? "the request body" : this.path.substring(0, this.path.length() - 1);
    }

    @Nullable
    Boolean bool(String name) {
        Object value = this.fields.get(name);
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        throw invalid(name, "true or false");
    }

    @Nullable
    Double number(String name) {
        Object value = this.fields.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw invalid(name, "a number");
    }

    @Nullable
    Integer integer(String name) {
        Long value = longInteger(name);
        if (value == null) {
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw invalid(name, "an integer of at most 32 bits");
        }
        return value.intValue();
    }

    @Nullable
    Long longInteger(String name) {
        Object value = this.fields.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < Long.SIZE) {
            return big.longValue();
        }
        throw invalid(name, "an integer");
    }

    /** The field as a nested object. */
    @Nullable
    JsonFields object(String name) {
        Object value = this.fields.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            return new JsonFields(asObject(map), field(name) + ".");
        }
        throw invalid(name, "an object");
    }

    /** The field as an array of objects, for example {@code messages} or {@code tools}. */
    @Nullable
    List<JsonFields> objects(String name) {
        Object value = this.fields.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> items)) {
            throw invalid(name, "an array of objects");
        }
        return IntStream.range(0, items.size())
                .mapToObj(index -> {
                    if (!(items.get(index) instanceof Map<?, ?> item)) {
                        throw InvalidRequestException.invalidType(field(name) + "[" + index + "]", "an object");
                    }
                    return new JsonFields(asObject(item), field(name) + "[" + index + "].");
                })
                .toList();
    }

    /** The field as an array of strings; a single string reads as an array of one. */
    @Nullable
    List<String> strings(String name) {
        Object value = this.fields.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof String single) {
            return List.of(single);
        }
        if (value instanceof List<?> items && items.stream().allMatch(String.class::isInstance)) {
            return items.stream().map(String.class::cast).toList();
        }
        throw invalid(name, "a string or an array of strings");
    }

    /**
     * The field as token arrays when it is an array of token ids (one array) or an array of arrays
     * of them; null when it is absent, empty or an array that starts with a string (read it with
     * {@link #strings}). A token id that is not an integer from 0 to {@value Integer#MAX_VALUE}, or
     * an inner array that is empty or not an array, throws naming it.
     */
    @Nullable
    List<List<Integer>> tokenArrays(String name) {
        if (!(this.fields.get(name) instanceof List<?> items) || items.isEmpty() || items.get(0) instanceof String) {
            return null;
        }
        if (!(items.get(0) instanceof List<?>)) {
            return List.of(tokens(field(name), items));
        }
        return IntStream.range(0, items.size())
                .mapToObj(index -> {
                    String item = field(name) + "[" + index + "]";
                    if (!(items.get(index) instanceof List<?> tokens) || tokens.isEmpty()) {
                        throw InvalidRequestException.invalidType(item, "a non-empty array of token ids" + INPUT_FORMS);
                    }
                    return tokens(item, tokens);
                })
                .toList();
    }

    private static List<Integer> tokens(String field, List<?> values) {
        List<Integer> tokens = new ArrayList<>(values.size());
        for (int index = 0; index < values.size(); index++) {
            if (!(values.get(index) instanceof Integer token) || token < 0) {
                throw InvalidRequestException.invalidType(
                        field + "[" + index + "]",
                        "a token id, an integer from 0 to " + Integer.MAX_VALUE + INPUT_FORMS);
            }
            tokens.add((Integer) values.get(index));
        }
        return tokens;
    }

    /** The field as it was sent: a string, number, boolean, object ({@code Map}) or array ({@code List}). */
    @Nullable
    Object raw(String name) {
        return this.fields.get(name);
    }

    /** This object as a map of its fields. */
    Map<String, Object> asMap() {
        return this.fields;
    }

    /** This object's fields whose value is not null. */
    Map<String, Object> nonNull() {
        Map<String, Object> present = new LinkedHashMap<>(this.fields);
        present.values().removeIf(Objects::isNull);
        return present;
    }

    /** The full name of {@code name} in the request, for example {@code messages[0].role}. */
    String field(String name) {
        return this.path + name;
    }

    /**
     * The fields not named in {@code known}, with their values, in the order they were sent; a field
     * whose name is blank, which no provider knows, throws.
     */
    Map<String, Object> others(Set<String> known) {
        if (this.fields.keySet().stream().anyMatch(String::isBlank)) {
            throw InvalidRequestException.invalidValue(
                    this.path.isEmpty() ? null : where(),
                    where() + " has a field whose name is blank: remove it, or name it");
        }
        Map<String, Object> others = new LinkedHashMap<>(this.fields);
        others.keySet().removeAll(known);
        return others;
    }

    private InvalidRequestException invalid(String name, String expected) {
        return InvalidRequestException.invalidType(field(name), expected);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
