package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The built-in mock provider answers as OpenAI would: {@code n} choices and, when asked, a usage chunk. */
class MockProviderTests {

    private final MockProvider mock = new MockProvider(Duration.ZERO, Clock.systemUTC());

    private static ChatCompletionRequest.Builder question() {
        return ChatCompletionRequest.builder().model("gpt-4o-mini").message(ChatMessage.user("hello"));
    }

    private static List<String> contents(ChatCompletion completion) {
        return completion.choices().stream()
                .map(choice -> choice.message().content())
                .toList();
    }

    @Test
    void completionHasOneChoiceWithoutN() {
        ChatCompletion completion = this.mock.completion(question().build()).block();

        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).index()).isZero();
    }

    @Test
    void completionHasNChoicesWithDistinctDeterministicContent() {
        ChatCompletion first = this.mock.completion(question().n(3).build()).block();
        ChatCompletion again = this.mock.completion(question().n(3).build()).block();

        assertThat(first.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0, 1, 2);
        assertThat(first.choices())
                .allSatisfy(choice -> assertThat(choice.finishReason()).isEqualTo("stop"));
        assertThat(contents(first)).doesNotHaveDuplicates().isEqualTo(contents(again));
        assertThat(first.usage().completionTokens())
                .isEqualTo(contents(first).stream()
                        .mapToInt(content -> content.length() / 4)
                        .sum());
    }

    @Test
    void streamCarriesNChoicesThatAssembleIntoTheCompletion() {
        ChatCompletionRequest request = question().n(2).build();

        List<ChatCompletionChunk> chunks =
                this.mock.stream(request).collectList().block();

        assertThat(ChatCompletionChunks.isComplete(chunks)).isTrue();
        ChatCompletion assembled = ChatCompletionChunks.assemble(chunks);
        assertThat(assembled.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0, 1);
        assertThat(contents(assembled))
                .isEqualTo(contents(this.mock.completion(request).block()))
                .doesNotHaveDuplicates();
    }

    @Test
    void streamEndsWithAUsageChunkWithoutChoicesWhenIncludeUsageIsAsked() {
        ChatCompletionRequest request = question()
                .param("stream_options", Map.of("include_usage", true))
                .build();

        List<ChatCompletionChunk> chunks =
                this.mock.stream(request).collectList().block();

        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage()).isEqualTo(this.mock.completion(request).block().usage());
        assertThat(last.id()).isEqualTo(chunks.get(0).id());
        assertThat(chunks.subList(0, chunks.size() - 1))
                .allSatisfy(chunk -> assertThat(chunk.usage()).isNull());
        assertThat(ChatCompletionChunks.assemble(chunks).usage()).isEqualTo(last.usage());
    }

    @Test
    void streamHasNoUsageChunkWithoutIncludeUsage() {
        ChatCompletionRequest request = question()
                .param("stream_options", Map.of("include_usage", false))
                .build();

        List<ChatCompletionChunk> chunks =
                this.mock.stream(request).collectList().block();

        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.choices()).isNotEmpty();
            assertThat(chunk.usage()).isNull();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 129, Integer.MAX_VALUE})
    void nOutsideOpenAisRangeIsRefusedAsOpenAiRefusesIt(int n) {
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.mock.completion(question().n(n).build()).block())
                .satisfies(error -> assertThat(error.statusCode()).isEqualTo(400))
                .withMessageContaining("n must be between 1 and 128");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 3073, Integer.MAX_VALUE})
    void dimensionsOutsideOpenAisRangeAreRefusedBeforeAnyVectorIsMade(int dimensions) {
        EmbeddingRequest request = EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input("hello")
                .dimensions(dimensions)
                .build();
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.mock.embedding(request).block())
                .satisfies(error -> assertThat(error.statusCode()).isEqualTo(400))
                .withMessageContaining("dimensions must be between 1 and 3072");
    }

    @Test
    void tokenArraysAreEmbeddedDeterministicallyOneVectorEach() {
        EmbeddingRequest request = EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .inputTokens(List.of(List.of(1, 2), List.of(3), List.of(1, 2)))
                .dimensions(8)
                .build();

        EmbeddingResponse first = this.mock.embedding(request).block();
        EmbeddingResponse again = this.mock.embedding(request).block();

        assertThat(first.data()).extracting(EmbeddingResponse.Embedding::index).containsExactly(0, 1, 2);
        assertThat(first.data().get(0).embedding())
                .hasSize(8)
                .containsExactly(first.data().get(2).embedding())
                .isNotEqualTo(first.data().get(1).embedding());
        assertThat(again.data().get(1).embedding())
                .containsExactly(first.data().get(1).embedding());
        assertThat(first.usage().promptTokens())
                .as("one prompt token per token")
                .isEqualTo(5);
    }
}
