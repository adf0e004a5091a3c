package io.github.litellmcache.completion;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Base64;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads an embedding vector in either of OpenAI's encodings: an array of numbers
 * ({@code "encoding_format": "float"}) or a base64 string of little-endian float32 values
 * ({@code "encoding_format": "base64"}). A caller that forwards {@code encodingFormat("base64")}
 * still gets a {@code float[]}, and the cache keeps one representation. A base64 string whose bytes
 * are not whole float32 values is refused, rather than read as a shorter vector.
 */
final class EmbeddingVectorDeserializer extends ValueDeserializer<float[]> {

    @Override
    public float[] deserialize(JsonParser parser, DeserializationContext context) {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            return decode(parser.getString(), context);
        }
        return context.readValue(parser, float[].class);
    }

    private static float[] decode(String base64, DeserializationContext context) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        if (bytes.length % Float.BYTES != 0) {
            return context.reportInputMismatch(
                    float[].class,
                    "a base64 embedding holds float32 values of 4 bytes each, but this one has %d bytes",
                    bytes.length);
        }
        FloatBuffer floats =
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] vector = new float[floats.remaining()];
        floats.get(vector);
        return vector;
    }
}
