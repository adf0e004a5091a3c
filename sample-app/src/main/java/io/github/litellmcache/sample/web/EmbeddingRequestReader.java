package io.github.litellmcache.sample.web;

import io.github.litellmcache.completion.EmbeddingRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the body of {@code POST /v1/embeddings} (the OpenAI wire format: {@code input} is a string
 * or an array of strings) into an {@link EmbeddingRequest}. Fields it does not know are passed to
 * the provider as they are; {@code encoding_format} is not: {@link EmbeddingEncoding} reads it. An
 * invalid body throws {@link InvalidRequestException} naming the field, before the library request
 * is built.
 */
final class EmbeddingRequestReader {

    private static final Set<String> FIELDS = fields("model", "input", "dimensions", "encoding_format", "user");

    private EmbeddingRequestReader() {}

    static EmbeddingRequest read(Map<String, Object> body) {
        JsonFields json = JsonFields.of(body);
        EmbeddingRequest.Builder builder =
                EmbeddingRequest.builder().model(json.required("model", "\"text-embedding-3-small\""));
        List<String> input = json.strings("input");
        if (input == null) {
            throw json.missing("input", "\"text to embed\"");
        }
        if (input.isEmpty()) {
            throw InvalidRequestException.invalidValue(
                    "input", "input must not be empty: send a string or an array of strings to embed");
        }
        builder.input(input).dimensions(json.integer("dimensions")).user(json.string("user"));
        LiteLlmOptions options = LiteLlmOptions.read(json);
        builder.caching(options.caching()).cache(options.cache());
        json.others(FIELDS).forEach(builder::param);
        return builder.build();
    }

    private static Set<String> fields(String... names) {
        Set<String> fields = new HashSet<>(List.of(names));
        fields.addAll(LiteLlmOptions.FIELDS);
        return Set.copyOf(fields);
    }
}
