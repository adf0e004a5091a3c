package io.github.litellmcache.completion;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Embeddings in the OpenAI wire format. {@link #cacheHit()} and {@link #cacheKey()} report the
 * cache's outcome and are not part of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EmbeddingResponse(
        @JsonProperty("data") List<Embedding> data,
        @JsonProperty("model") String model,
        @JsonProperty("usage") @Nullable Usage usage,
        @JsonIgnore boolean cacheHit,
        @JsonIgnore @Nullable String cacheKey)
        implements LlmResponse {

    public EmbeddingResponse {
        data = (data != null) ? List.copyOf(data) : List.of();
    }

    public EmbeddingResponse(List<Embedding> data, String model, @Nullable Usage usage) {
        this(data, model, usage, false, null);
    }

    /** Always {@code list}, as on the wire. */
    @JsonProperty("object")
    public String object() {
        return "list";
    }

    @Override
    @JsonIgnore
    public boolean isCacheable() {
        return !this.data.isEmpty();
    }

    @Override
    public EmbeddingResponse withCacheResult(boolean cacheHit, @Nullable String cacheKey) {
        return new EmbeddingResponse(this.data, this.model, this.usage, cacheHit, cacheKey);
    }

    /**
     * The embedding of one input item; the vector is copied in and out, so the record is immutable.
     * It is read from an array of numbers or from OpenAI's base64 encoding, and written as numbers.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Embedding(
            @JsonProperty("index") int index,

            @JsonProperty("embedding") @JsonDeserialize(using = EmbeddingVectorDeserializer.class)
            float[] embedding) {

        /** Keeps its own copy of the vector, so that a caller changing its array changes no cached entry. */
        public Embedding {
            embedding = embedding.clone();
        }

        /** A copy of the vector. */
        @Override
        public float[] embedding() {
            return this.embedding.clone();
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
                    && Arrays.equals(this.embedding, that.embedding);
        }

        @Override
        public int hashCode() {
            return 31 * this.index + Arrays.hashCode(this.embedding);
        }

        @Override
        public String toString() {
            return "Embedding[index=" + this.index + ", dimensions=" + this.embedding.length + "]";
        }
    }
}
