package io.github.litellmcache.completion;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The JSON mapper for the OpenAI wire format of requests and responses. */
public final class WireFormat {

    private WireFormat() {}

    /**
     * A mapper that reads provider responses leniently: unknown fields are ignored, and fields that a
     * provider leaves out (such as {@code completion_tokens} of embeddings) take their defaults.
     */
    public static JsonMapper jsonMapper() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }
}
