package io.github.litellmcache.sample.web;

import io.github.litellmcache.completion.EmbeddingResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import tools.jackson.core.Base64Variants;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes an embedding response as the application's JSON of it (same settings, fields and order)
 * with each vector as the base64 string of its little-endian float32 values, as OpenAI sends them.
 * Each string is written from its vector as the JSON is written: no tree of the numbers is built,
 * so a large response costs its vectors and its JSON bytes, not a node per number. The serializer is
 * registered as an instance for {@code float[]}, the type of the vectors (the fields of a response
 * read from JSON are never one), so that a native image needs no reflection hints for it.
 */
final class Base64Embeddings {

    private final ObjectWriter writer;

    Base64Embeddings(JsonMapper json) {
        this.writer = json.rebuild()
                .addModule(new SimpleModule("base64-embeddings").addSerializer(float[].class, new Float32Base64()))
                .build()
                .writer();
    }

    /** The JSON of {@code response}, its vectors in base64. */
    byte[] json(EmbeddingResponse response) {
        return this.writer.writeValueAsBytes(response);
    }

    /** A vector as the standard base64 (padded, no line breaks) of its little-endian float32 values. */
    private static final class Float32Base64 extends StdSerializer<float[]> {

        Float32Base64() {
            super(float[].class);
        }

        @Override
        public void serialize(float[] vector, JsonGenerator generator, SerializationContext context) {
            ByteBuffer bytes = ByteBuffer.allocate(Float.BYTES * vector.length).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(vector);
            generator.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes.array(), 0, bytes.capacity());
        }
    }
}
