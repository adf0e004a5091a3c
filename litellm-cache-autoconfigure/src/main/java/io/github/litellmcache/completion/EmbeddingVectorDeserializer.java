package io.github.litellmcache.completion;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
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
 * are not whole float32 values is refused, rather than read as a shorter vector, and so is an array
 * holding anything but numbers (a null is not read as 0).
 */
final class EmbeddingVectorDeserializer extends ValueDeserializer<float[]> {

    @Override
    public float[] deserialize(JsonParser parser, DeserializationContext context) {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            return decode(parser.getString(), context);
        }
        if (!parser.isExpectedStartArrayToken()) {
            return context.reportInputMismatch(
                    float[].class,
                    "an embedding is an array of numbers or a base64 string, not %s",
                    parser.currentToken());
        }
        return numbers(parser, context);
    }

    /**
     * The numbers of the array at the parser, given as numbers or as strings (such as {@code "NaN"}); anything else (a
     * null, which would be read as 0) is refused.
     */
    private static float[] numbers(JsonParser parser, DeserializationContext context) {
        float[] vector = new float[256];
        int length = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (length == vector.length) {
                vector = Arrays.copyOf(vector, 2 * length);
            }
            vector[length] = number(parser, token, length, context);
            length++;
        }
        return Arrays.copyOf(vector, length);
    }

    private static float number(JsonParser parser, JsonToken token, int at, DeserializationContext context) {
        if (token != null && token.isNumeric()) {
            return parser.getFloatValue();
        }
        if (token == JsonToken.VALUE_STRING) {
            try {
                return Float.parseFloat(parser.getString());
            } catch (NumberFormatException notANumber) {
                // refused below
            }
        }
        return context.reportInputMismatch(
                float[].class, "an embedding holds numbers only, but its value %d is %s", at, token);
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
