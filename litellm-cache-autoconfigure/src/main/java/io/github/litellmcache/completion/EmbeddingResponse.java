package io.github.litellmcache.completion;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Embeddings in the OpenAI wire format. Fields it does not model are kept in {@code extraFields}, of
 * the response and of each embedding, and written back unchanged; {@code object} is always written,
 * and so is {@code usage.completion_tokens}. {@link #cacheHit()}, {@link #cacheStale()} and
 * {@link #cacheKey()} report the cache's outcome and are not part of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = "object", allowGetters = true)
public record EmbeddingResponse(
        @JsonProperty("data") List<Embedding> data,
        @JsonProperty("model") String model,
        @JsonProperty("usage") @Nullable Usage usage,
        @JsonAnyGetter Map<String, Object> extraFields,
        @JsonIgnore boolean cacheHit,
        @JsonIgnore @Nullable String cacheKey,
        @JsonIgnore boolean cacheStale)
        implements LlmResponse {

    public EmbeddingResponse {
        data = (data != null) ? List.copyOf(data) : List.of();
        extraFields = ExtraFields.of(extraFields);
    }

    public EmbeddingResponse(List<Embedding> data, String model, @Nullable Usage usage) {
        this(data, model, usage, ExtraFields.NONE);
    }

    public EmbeddingResponse(
            List<Embedding> data, String model, @Nullable Usage usage, Map<String, Object> extraFields) {
        this(data, model, usage, extraFields, false, null, false);
    }

    @JsonCreator
    static EmbeddingResponse fromWire(
            @JsonProperty("data") List<Embedding> data,
            @JsonProperty("model") String model,
            @JsonProperty("usage") @Nullable Usage usage,
            @JsonAnySetter @Nullable Map<String, Object> extraFields) {
        return new EmbeddingResponse(data, model, usage, ExtraFields.read(extraFields));
    }

    /** Always {@code list}, as on the wire. */
    @JsonProperty("object")
    public String object() {
        return "list";
    }

    /**
     * Whether it may be cached: it has embeddings, and each of their values is a number (a NaN or an
     * infinity is a provider's fault, passed on to the caller but not served again).
     */
    @Override
    @JsonIgnore
    public boolean isCacheable() {
        return !this.data.isEmpty() && this.data.stream().allMatch(EmbeddingResponse::isFinite);
    }

    private static boolean isFinite(Embedding embedding) {
        for (float value : embedding.embedding) {
            if (!Float.isFinite(value)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public EmbeddingResponse withCacheResult(boolean cacheHit, boolean cacheStale, @Nullable String cacheKey) {
        return new EmbeddingResponse(
                this.data, this.model, this.usage, this.extraFields, cacheHit, cacheKey, cacheStale);
    }

    /**
     * The embedding of one input item; the vector is copied in and out, so the record is immutable.
     * It is read from an array of numbers or from OpenAI's base64 encoding, and written as numbers.
     */
    @JsonIgnoreProperties(value = "object", allowGetters = true)
    public record Embedding(
            @JsonProperty("index") int index,
            @JsonProperty("embedding") float[] embedding,
            @JsonAnyGetter Map<String, Object> extraFields) {

        /** Keeps its own copy of the vector, so that a caller changing its array changes no cached entry. */
        public Embedding {
            embedding = embedding.clone();
            extraFields = ExtraFields.of(extraFields);
        }

        public Embedding(int index, float[] embedding) {
            this(index, embedding, ExtraFields.NONE);
        }

        @JsonCreator
        static Embedding fromWire(
                @JsonProperty("index") int index,
                @JsonProperty("embedding") @JsonDeserialize(using = EmbeddingVectorDeserializer.class)
                        float[] embedding,
                @JsonAnySetter @Nullable Map<String, Object> extraFields) {
            return new Embedding(index, embedding, ExtraFields.read(extraFields));
        }

        /** This embedding at {@code index}, with the same vector and fields. */
        public Embedding withIndex(int index) {
            return new Embedding(index, this.embedding, this.extraFields);
        }

        /** A copy of the vector. */
        @Override
        public float[] embedding() {
            return this.embedding.clone();
        }

        /** The length of the vector, without copying it. */
        @JsonIgnore
        public int dimensions() {
            return this.embedding.length;
        }

        /** Always {@code embedding}, as on the wire. */
        @JsonProperty("object")
        public String object() {
            return "embedding";
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Embedding that
                    && this.index == that.index
                    && Arrays.equals(this.embedding, that.embedding)
                    && this.extraFields.equals(that.extraFields);
        }

        @Override
        public int hashCode() {
            return (31 * this.index + Arrays.hashCode(this.embedding)) * 31 + this.extraFields.hashCode();
        }

        @Override
        public String toString() {
            return "Embedding[index=" + this.index + ", dimensions=" + this.embedding.length + "]";
        }
    }
}
