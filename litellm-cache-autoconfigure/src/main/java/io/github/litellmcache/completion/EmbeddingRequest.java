package io.github.litellmcache.completion;

import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * An embedding request; build it with {@link #builder()}. Its {@code input} is either texts or
 * token arrays (OpenAI's {@code "input": [[1, 2], [3]]}), each item embedded on its own. A flat
 * array of token ids set through {@code param("input", ...)} (OpenAI's one-item form
 * {@code "input": [1, 2]}) is one token array.
 */
public final class EmbeddingRequest extends AbstractLlmRequest {

    private final List<String> texts;

    private final List<List<Integer>> tokens;

    @SuppressWarnings("unchecked")
    private EmbeddingRequest(Builder builder) {
        super(builder);
        List<?> input = (List<?>) params().get("input");
        boolean texts = input.stream().allMatch(String.class::isInstance);
        this.texts = texts ? (List<String>) input : List.of();
        this.tokens = texts ? List.of() : tokenArrays(input);
    }

    /** {@code input} as token arrays: one flat array as itself alone, else its arrays; empty when it is neither. */
    @SuppressWarnings("unchecked")
    private static List<List<Integer>> tokenArrays(List<?> input) {
        if (isTokenArray(input)) {
            return List.of((List<Integer>) input);
        }
        return input.stream().allMatch(EmbeddingRequest::isTokenArray) ? (List<List<Integer>>) input : List.of();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The texts to embed, in order; empty when the input is token arrays. */
    public List<String> input() {
        return this.texts;
    }

    /**
     * The token arrays to embed, in order; empty when the input is texts. An input of one flat token
     * array ({@code [1, 2]}) is that one array ({@code [[1, 2]]}).
     */
    public List<List<Integer>> inputTokens() {
        return this.tokens;
    }

    /** This request, with the same parameters and options, for other input. */
    public EmbeddingRequest withInput(List<String> input) {
        return with(builder -> builder.input(input));
    }

    /** This request, with the same parameters and options, for other token arrays. */
    public EmbeddingRequest withInputTokens(List<? extends List<Integer>> tokens) {
        return with(builder -> builder.inputTokens(tokens));
    }

    private EmbeddingRequest with(UnaryOperator<Builder> input) {
        Builder builder = new Builder();
        params().forEach(builder::putParam);
        if (!hasPlainParams()) {
            builder.values.notPlain();
        }
        return input.apply(builder)
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

    private static boolean isTokenArray(Object item) {
        return item instanceof List<?> tokens && tokens.stream().allMatch(Integer.class::isInstance);
    }

    /** Builds an {@link EmbeddingRequest}. */
    public static final class Builder extends AbstractLlmRequest.Builder<Builder, EmbeddingRequest> {

        private Builder() {}

        /** The texts to embed; replaces any input set before, token arrays included. */
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

        /**
         * The token arrays to embed, each one item (OpenAI's {@code "input": [[1, 2], [3]]}), sent
         * as they are; replaces any input set before, texts included. Each array must hold at least
         * one token, and each token must be a non-negative token id.
         */
        public Builder inputTokens(List<? extends List<Integer>> tokens) {
            if (tokens == null) {
                throw new IllegalArgumentException(
                        "inputTokens must not be null: pass one token array per item, such as List.of(List.of(1, 2))");
            }
            for (int i = 0; i < tokens.size(); i++) {
                checkTokenArray(i, tokens.get(i));
            }
            return param("input", tokens);
        }

        private static void checkTokenArray(int index, @Nullable List<Integer> tokens) {
            String item = "inputTokens[" + index + "]";
            if (tokens == null || tokens.isEmpty()) {
                throw new IllegalArgumentException(
                        item + " must not be null nor empty: each token array must hold at least one token id");
            }
            for (Integer token : tokens) {
                if (token == null || token < 0) {
                    throw new IllegalArgumentException(
                            item + " must hold only non-negative token ids: remove null or negative tokens");
                }
            }
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
                        "input must not be empty: set it with builder.input(List.of(\"text\"))"
                                + " or builder.inputTokens(List.of(List.of(1, 2)))");
            }
            return new EmbeddingRequest(this);
        }
    }
}
