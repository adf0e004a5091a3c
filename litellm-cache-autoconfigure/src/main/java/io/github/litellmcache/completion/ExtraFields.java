package io.github.litellmcache.completion;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The fields of a wire object that its type does not model ({@code logprobs}, {@code refusal},
 * {@code reasoning_content}, usage details, and whatever a provider adds next), kept in the
 * provider's order with their values as read, nulls included, and written back unchanged. The maps
 * are deep-immutable plain values, since cached responses are shared between callers; a map made
 * here is taken over as it is, so that marking a response as a hit copies nothing.
 */
final class ExtraFields {

    static final Map<String, Object> NONE = new Frozen(Collections.emptyMap(), true);

    /**
     * Whether Jackson hands the map of a creator's {@code @JsonAnySetter} parameter over in reverse
     * order, as jackson-databind before 3.2 does (its issue 5353). Found out once, by reading a probe.
     */
    private static final boolean READ_REVERSED = readsReversed();

    private ExtraFields() {}

    /** {@code fields} as a deep-immutable map, or {@code fields} itself when it is one already. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> of(@Nullable Map<String, ?> fields) {
        if (fields instanceof Frozen frozen) {
            return frozen;
        }
        if (fields == null || fields.isEmpty()) {
            return NONE;
        }
        PlainValues values = new PlainValues();
        Map<String, Object> copy = (Map<String, Object>) values.copy("extra fields", (Object) fields);
        return new Frozen(copy, values.allPlain());
    }

    /** Whether {@code fields}, made by {@link #of}, hold only plain values. */
    static boolean isPlain(Map<String, Object> fields) {
        return fields instanceof Frozen frozen && frozen.plain;
    }

    /** The fields Jackson collected for a creator's {@code @JsonAnySetter} parameter, in the JSON's order. */
    static Map<String, Object> read(@Nullable Map<String, ?> fields) {
        if (!READ_REVERSED || fields == null || fields.size() < 2) {
            return of(fields);
        }
        List<Map.Entry<String, ?>> entries = new ArrayList<>(fields.entrySet());
        Map<String, Object> ordered = new LinkedHashMap<>((int) (entries.size() / 0.75f) + 1);
        for (int i = entries.size() - 1; i >= 0; i--) {
            ordered.put(entries.get(i).getKey(), entries.get(i).getValue());
        }
        return of(ordered);
    }

    static @Nullable String string(Map<String, Object> fields, String name) {
        return (fields.get(name) instanceof String text) ? text : null;
    }

    @SuppressWarnings("unchecked")
    static @Nullable Map<String, Object> object(Map<String, Object> fields, String name) {
        return (fields.get(name) instanceof Map<?, ?> object) ? (Map<String, Object>) object : null;
    }

    @SuppressWarnings("unchecked")
    static @Nullable List<Map<String, Object>> objects(Map<String, Object> fields, String name) {
        return (fields.get(name) instanceof List<?> list) ? (List<Map<String, Object>>) list : null;
    }

    /** The number {@code name} inside the object {@code object}, such as a usage detail. */
    static @Nullable Long count(Map<String, Object> fields, String object, String name) {
        Map<String, Object> details = object(fields, object);
        return (details != null && details.get(name) instanceof Number number) ? number.longValue() : null;
    }

    private static boolean readsReversed() {
        Probe probe = WireFormat.jsonMapper().readValue("{\"first\":1,\"second\":2}", Probe.class);
        return probe.fields().keySet().iterator().next().equals("second");
    }

    /** Read the way the wire types are read, to learn the order Jackson hands unknown fields over in. */
    record Probe(Map<String, Object> fields) {

        @JsonCreator
        static Probe fromWire(@JsonProperty("id") @Nullable String id, @JsonAnySetter Map<String, Object> fields) {
            return new Probe(fields);
        }
    }

    /** An unmodifiable map of plain values made by {@link #of}, recognised so that it is never copied again. */
    private static final class Frozen extends AbstractMap<String, Object> {

        private final Map<String, Object> fields;

        private final boolean plain;

        Frozen(Map<String, Object> fields, boolean plain) {
            this.fields = fields;
            this.plain = plain;
        }

        @Override
        public Set<Map.Entry<String, Object>> entrySet() {
            return this.fields.entrySet();
        }

        @Override
        public @Nullable Object get(Object key) {
            return this.fields.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return this.fields.containsKey(key);
        }

        @Override
        public int size() {
            return this.fields.size();
        }
    }
}
