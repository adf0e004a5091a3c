package io.github.litellmcache.sample.web;

import io.github.litellmcache.completion.EmbeddingResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

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

    /** The response body: {@code response} itself, or its JSON with each vector as a base64 string. */
    Object body(EmbeddingResponse response, JsonMapper json) {
        if (this == FLOAT) {
            return response;
        }
        ObjectNode body = json.valueToTree(response);
        List<EmbeddingResponse.Embedding> data = response.data();
        for (int i = 0; i < data.size(); i++) {
            ((ObjectNode) body.path("data").get(i))
                    .put("embedding", base64(data.get(i).embedding()));
        }
        return body;
    }

    private static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(Float.BYTES * vector.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
