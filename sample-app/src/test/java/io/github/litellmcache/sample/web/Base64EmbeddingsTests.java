package io.github.litellmcache.sample.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.Usage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class Base64EmbeddingsTests {

    private static final JsonMapper json = JsonMapper.builder().build();

    private final Base64Embeddings base64 = new Base64Embeddings(json);

    @Test
    void vectorsAreLittleEndianFloat32InBase64AndEveryOtherFieldIsWrittenAsForFloats() {
        EmbeddingResponse response = new EmbeddingResponse(
                List.of(
                        new EmbeddingResponse.Embedding(0, new float[] {1.0f, -2.0f}, Map.of("x_item", "kept")),
                        new EmbeddingResponse.Embedding(1, new float[] {0.1f})),
                "text-embedding-3-small",
                new Usage(3, 0, 3, Map.of("x_usage", 1)),
                Map.of("x_response", Map.of("nested", true)));

        assertThat(new String(this.base64.json(response), StandardCharsets.UTF_8))
                .isEqualTo("{\"data\":[{\"index\":0,\"embedding\":\"AACAPwAAAMA=\",\"x_item\":\"kept\","
                        + "\"object\":\"embedding\"},{\"index\":1,\"embedding\":\"zczMPQ==\",\"object\":\"embedding\"}],"
                        + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":0,"
                        + "\"total_tokens\":3,\"x_usage\":1},\"x_response\":{\"nested\":true},\"object\":\"list\"}");
    }

    @Test
    void responseWithoutUsageOmitsItAsForFloats() {
        EmbeddingResponse response = new EmbeddingResponse(
                List.of(new EmbeddingResponse.Embedding(0, new float[0])), "text-embedding-3-small", null);

        assertThat(new String(this.base64.json(response), StandardCharsets.UTF_8))
                .isEqualTo("{\"data\":[{\"index\":0,\"embedding\":\"\",\"object\":\"embedding\"}],"
                        + "\"model\":\"text-embedding-3-small\",\"object\":\"list\"}");
    }

    @Test
    void maximalRequestOfLargeVectorsIsWrittenWholeWithEachVectorInItsPlace() {
        int items = 2048;
        int dimensions = 1536;
        List<EmbeddingResponse.Embedding> data = IntStream.range(0, items)
                .mapToObj(index -> new EmbeddingResponse.Embedding(index, vector(index, dimensions)))
                .toList();

        JsonNode body = json.readTree(
                this.base64.json(new EmbeddingResponse(data, "text-embedding-3-small", new Usage(items, 0, items))));

        assertThat(body.path("data").size()).isEqualTo(items);
        for (int index : new int[] {0, 1, items / 2, items - 1}) {
            JsonNode embedding = body.path("data").path(index);
            assertThat(embedding.path("index").asInt()).isEqualTo(index);
            float[] decoded = new float[dimensions];
            ByteBuffer.wrap(Base64.getDecoder()
                            .decode(embedding.path("embedding").asString()))
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(decoded);
            assertThat(decoded).containsExactly(vector(index, dimensions));
        }
    }

    private static float[] vector(int index, int dimensions) {
        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            vector[i] = index + i / (float) dimensions;
        }
        return vector;
    }
}
