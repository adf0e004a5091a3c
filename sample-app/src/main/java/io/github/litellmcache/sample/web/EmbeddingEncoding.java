package io.github.litellmcache.sample.web;

import io.github.litellmcache.completion.EmbeddingResponse;

/**
 * How {@code POST /v1/embeddings} writes vectors, as the request's {@code encoding_format} asks:
 * arrays of numbers, or base64 strings of the little-endian float32 values as OpenAI sends them
 * (the default of the official Python and Java SDKs). It is presentation only: the library is
 * asked for float vectors either way, so both formats share one cache entry.
 */
enum EmbeddingEncoding {
    FLOAT,

    BASE64;

    /** The {@code encoding_format} of a request body; {@code float} when absent. */
    static EmbeddingEncoding of(JsonFields body) {
        String format = body.string("encoding_format");
        if (format == null || format.equals("float")) {
            return FLOAT;
        }
        if (format.equals("base64")) {
            return BASE64;
        }
        throw InvalidRequestException.invalidValue(
                "encoding_format", "encoding_format must be \"float\" or \"base64\"");
    }

    /**
     * The response body: {@code response} itself, or the JSON of it that {@code base64} writes, with
     * each vector as a base64 string.
     */
    Object body(EmbeddingResponse response, Base64Embeddings base64) {
        return (this == FLOAT) ? response : base64.json(response);
    }
}
