package io.github.litellmcache.sample.web;

import io.github.litellmcache.completion.EmbeddingRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the body of {@code POST /v1/embeddings} (the OpenAI wire format: {@code input} is a string,
 * an array of strings, an array of token ids or an array of arrays of token ids, each array one
 * item) into an {@link EmbeddingRequest}. Fields it does not know are passed to
 * the provider as they are; {@code encoding_format} is not: {@link EmbeddingEncoding} reads it. An
 * invalid body throws {@link InvalidRequestException} naming the field, before the library request
 * is built.
 */
final class EmbeddingRequestReader {

    private static final Set<String> FIELDS = fields("model", "input", "dimensions", "encoding_format", "user");

    /**
     * The longest vector asked for: more than any OpenAI embedding model has (3,072), and a bound on
     * what one request makes the mock provider allocate.
     */
    private static final int MAX_DIMENSIONS = 4096;

    private EmbeddingRequestReader() {}

    static EmbeddingRequest read(Map<String, Object> body, SampleProperties.Limits limits, CacheScope scope) {
        JsonFields json = JsonFields.of(body);
        EmbeddingRequest.Builder builder = EmbeddingRequest.builder().model(json.model("\"text-embedding-3-small\""));
        List<List<Integer>> tokens = json.tokenArrays("input");
        if (tokens != null) {
            builder.inputTokens(items(tokens, json, limits));
        } else {
            builder.input(items(json.strings("input"), json, limits));
        }
        builder.dimensions(dimensions(json)).user(json.string("user"));
        LiteLlmOptions options = LiteLlmOptions.read(json, scope);
        builder.caching(options.caching()).cache(options.cache());
        json.others(FIELDS).forEach(builder::param);
        return builder.build();
    }

    /** The items of {@code input}, texts or token arrays: required, not empty, and at most the limit. */
    private static <T> List<T> items(@Nullable List<T> input, JsonFields json, SampleProperties.Limits limits) {
        if (input == null) {
            throw json.missing("input", "\"text to embed\"");
        }
        if (input.isEmpty()) {
            throw InvalidRequestException.invalidValue(
                    "input",
                    "input must not be empty: send a string, an array of strings or an array of token ids to embed");
        }
        if (input.size() > limits.getMaxInputItems()) {
            throw InvalidRequestException.invalidValue(
                    "input",
                    "input has " + input.size() + " items, over the server's sample.limits.max-input-items of "
                            + limits.getMaxInputItems() + ": send fewer, or raise that setting");
        }
        return input;
    }

    private static @Nullable Integer dimensions(JsonFields json) {
        Integer dimensions = json.integer("dimensions");
        if (dimensions != null && (dimensions < 1 || dimensions > MAX_DIMENSIONS)) {
            throw InvalidRequestException.invalidValue(
                    "dimensions",
                    "dimensions must be between 1 and " + MAX_DIMENSIONS + ": it is the length of each vector");
        }
        return dimensions;
    }

    private static Set<String> fields(String... names) {
        Set<String> fields = new HashSet<>(List.of(names));
        fields.addAll(LiteLlmOptions.FIELDS);
        return Set.copyOf(fields);
    }
}
