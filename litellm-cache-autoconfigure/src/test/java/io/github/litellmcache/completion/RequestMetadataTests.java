package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestMetadataTests {

    @Test
    void metadataWithANullValueIsKeptAsGiven() {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("trace_id", null);
        metadata.put("team", "a");

        ChatCompletionRequest request = ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .message(ChatMessage.user("hi"))
                .metadata(metadata)
                .build();
        EmbeddingRequest embedding = EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input("hi")
                .metadata(metadata)
                .build()
                .withInput(List.of("other"));

        assertThat(request.metadata()).containsEntry("trace_id", null).containsEntry("team", "a");
        assertThat(embedding.metadata()).isEqualTo(metadata);
    }

    @Test
    void metadataChangedAfterBuildingLeavesTheRequestAsItWas() {
        Map<String, Object> metadata = new HashMap<>(Map.of("team", "a"));
        ChatCompletionRequest request = ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .message(ChatMessage.user("hi"))
                .metadata(metadata)
                .build();

        metadata.put("team", "b");

        assertThat(request.metadata()).containsExactlyEntriesOf(Map.of("team", "a"));
        assertThatThrownBy(() -> request.metadata().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }
}
