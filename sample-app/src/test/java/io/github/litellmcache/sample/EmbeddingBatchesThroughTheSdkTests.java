package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.openai.client.OpenAIClient;
import com.openai.errors.InternalServerException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.github.litellmcache.testsupport.OpenAiFake;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Embedding batches through the official OpenAI Java SDK (which asks for base64): each item of a batch of OpenAI's
 * largest size gets its own vector, whether it was cached, repeated in the batch, or answered by a provider that
 * sends its embeddings in another order; a provider whose indices cannot be trusted is an error, not vectors.
 */
class EmbeddingBatchesThroughTheSdkTests extends SampleApplicationOnProviderFake {

    @AfterEach
    void providerSendsItsOwnEmbeddingsAgain() {
        provider.rewriteEmbeddings(UnaryOperator.identity());
    }

    /** The embeddings of {@code input}, asked with the official SDK. */
    private CreateEmbeddingResponse embeddings(List<String> input) {
        OpenAIClient client = SampleClients.openAi(this.port);
        try {
            return client.embeddings()
                    .create(EmbeddingCreateParams.builder()
                            .model("text-embedding-3-small")
                            .inputOfArrayOfStrings(input)
                            .build());
        } finally {
            client.close();
        }
    }

    @Test
    void eachItemOfABatchOf2048WithCachedAndRepeatedItemsGetsItsOwnVector() {
        String tag = UUID.randomUUID().toString();
        List<String> input = IntStream.range(0, 2048)
                .mapToObj(i -> "item " + (i % 1500) + " " + tag)
                .toList();
        embeddings(List.of(input.get(7), input.get(2000)));
        int requests = provider.requestCount();
        provider.rewriteEmbeddings(EmbeddingBatchesThroughTheSdkTests::reversed);

        CreateEmbeddingResponse response = embeddings(input);

        assertThat(provider.requestCount()).isEqualTo(requests + 1);
        assertThat(provider.lastBody().path("input").size())
                .as("the 1,500 distinct items but the 2 cached")
                .isEqualTo(1498);
        assertThat(response.data()).hasSize(2048);
        for (int i = 0; i < 2048; i++) {
            assertThat(response.data().get(i).index()).isEqualTo(i);
            assertThat(response.data().get(i).embedding())
                    .as("item %d", i)
                    .isEqualTo(OpenAiFake.vectorOf(input.get(i)));
        }
    }

    @Test
    void aProviderThatRepeatsAnIndexIsAnErrorNotVectors() {
        provider.rewriteEmbeddings(data -> {
            List<Map<String, Object>> same = new ArrayList<>();
            data.forEach(embedding -> {
                Map<String, Object> changed = new HashMap<>(embedding);
                changed.put("index", 0);
                same.add(changed);
            });
            return reversed(same);
        });

        assertThatExceptionOfType(InternalServerException.class)
                .isThrownBy(() -> embeddings(List.of("a " + UUID.randomUUID(), "bb")))
                .satisfies(error -> assertThat(error.statusCode()).isEqualTo(502));
    }

    private static List<Map<String, Object>> reversed(List<Map<String, Object>> data) {
        List<Map<String, Object>> reversed = new ArrayList<>(data);
        Collections.reverse(reversed);
        return reversed;
    }
}
