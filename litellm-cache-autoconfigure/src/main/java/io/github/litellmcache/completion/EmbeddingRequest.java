package io.github.litellmcache.completion;

import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An embedding request; build it with {@link #builder()}. */
public final class EmbeddingRequest extends AbstractLlmRequest {

    private EmbeddingRequest(Builder builder) {
        super(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The texts to embed, in order. */
    @SuppressWarnings("unchecked")
    public List<String> input() {
        return (List<String>) params().get("input");
    }

    /** This request, with the same parameters and options, for other input. */
    public EmbeddingRequest withInput(List<String> input) {
        Builder builder = new Builder();
        params().forEach(builder::putParam);
        if (!hasPlainParams()) {
            builder.values.notPlain();
        }
        return builder.input(input)
                .caching(caching())
                .cache(cache())
                .mockResponse(mockResponse())
                .apiKey(apiKey())
                .apiBase(apiBase())
                .apiVersion(apiVersion())
                .metadata(metadata())
                .timeout(timeout())
                .build();
    }

    /** Builds an {@link EmbeddingRequest}. */
    public static final class Builder extends AbstractLlmRequest.Builder<Builder, EmbeddingRequest> {

        private Builder() {}

        /** The texts to embed. */
        public Builder input(List<String> input) {
            if (input == null || input.stream().anyMatch(item -> item == null)) {
                throw new IllegalArgumentException("input must not be null nor contain null items");
            }
            return param("input", input);
        }

        /** A single text to embed. */
        public Builder input(String input) {
            return input(Collections.singletonList(input));
        }

        public Builder dimensions(@Nullable Integer dimensions) {
            return param("dimensions", dimensions);
        }

        public Builder encodingFormat(@Nullable String encodingFormat) {
            return param("encoding_format", encodingFormat);
        }

        @Override
        public EmbeddingRequest build() {
            if (!(param("input") instanceof List<?> input) || input.isEmpty()) {
                throw new IllegalArgumentException(
                        "input must not be empty: set it with builder.input(List.of(\"text\"))");
            }
            return new EmbeddingRequest(this);
        }
    }
}
