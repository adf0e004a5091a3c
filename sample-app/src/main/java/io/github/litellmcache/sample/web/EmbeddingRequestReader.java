package io.github.litellmcache.sample.web;

import io.github.litellmcache.completion.EmbeddingRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the body of {@code POST /v1/embeddings} (the OpenAI wire format: {@code input} is a string
 * or an array of strings) into an {@link EmbeddingRequest}. Fields it does not know are passed to
 * the provider as they are. An invalid body throws {@link IllegalArgumentException} naming the
 * field.
 */
final class EmbeddingRequestReader {

    private static final Set<String> FIELDS = fields("model", "input", "dimensions", "encoding_format", "user");

    private EmbeddingRequestReader() {}

    static EmbeddingRequest read(Map<String, Object> body) {
        JsonFields json = JsonFields.of(body);
        EmbeddingRequest.Builder builder = EmbeddingRequest.builder();
        String model = json.string("model");
        if (model != null) {
            builder.model(model);
        }
        List<String> input = json.strings("input");
        if (input != null) {
            builder.input(input);
        }
        String encodingFormat = json.string("encoding_format");
        if (encodingFormat != null && !encodingFormat.equals("float")) {
            throw new IllegalArgumentException(
                    "encoding_format must be float: the embeddings are returned as arrays of numbers");
        }
        builder.dimensions(json.integer("dimensions"))
                .encodingFormat(encodingFormat)
                .user(json.string("user"));
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
