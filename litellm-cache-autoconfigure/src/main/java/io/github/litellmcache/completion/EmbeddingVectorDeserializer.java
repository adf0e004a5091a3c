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
 * still gets a {@code float[]}, and the cache keeps one representation.
 */
final class EmbeddingVectorDeserializer extends ValueDeserializer<float[]> {

    @Override
    public float[] deserialize(JsonParser parser, DeserializationContext context) {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            return decode(parser.getString());
        }
        return context.readValue(parser, float[].class);
    }

    private static float[] decode(String base64) {
        FloatBuffer floats = ByteBuffer.wrap(Base64.getDecoder().decode(base64))
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
        float[] vector = new float[floats.remaining()];
        floats.get(vector);
        return vector;
    }
}
