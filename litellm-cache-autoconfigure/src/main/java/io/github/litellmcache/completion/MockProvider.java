package io.github.litellmcache.completion;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Answers without any network call (LiteLLM's {@code mock_response}): the request's
 * {@code mockResponse} text, or a deterministic text per request; embeddings derived from each
 * input's text; usage estimated at four characters a token. Each answer has a fresh {@code id}, as
 * a provider's would, after the configured latency.
 */
public final class MockProvider {

    private static final int DEFAULT_DIMENSIONS = 1536;

    private final Duration latency;
    private final Clock clock;

    public MockProvider(Duration latency, Clock clock) {
        this.latency = latency;
        this.clock = clock;
    }

    public Mono<ChatCompletion> completion(ChatCompletionRequest request) {
        return delayed(Mono.fromSupplier(() -> answer(request)));
    }

    public Flux<ChatCompletionChunk> stream(ChatCompletionRequest request) {
        return completion(request).flatMapMany(MockProvider::toChunks);
    }

    public Mono<EmbeddingResponse> embedding(EmbeddingRequest request) {
        return delayed(Mono.fromSupplier(() -> embed(request)));
    }

    private <T> Mono<T> delayed(Mono<T> answer) {
        return this.latency.isZero() ? answer : answer.delayElement(this.latency);
    }

    private ChatCompletion answer(ChatCompletionRequest request) {
        String content = (request.mockResponse() != null)
                ? request.mockResponse()
                : "This is a mock response from " + request.model() + " (request "
                        + Integer.toHexString(request.params().hashCode()) + ").";
        int promptTokens = request.messages().stream()
                .mapToInt(message -> 4 + tokens(message.content()))
                .sum();
        int completionTokens = tokens(content);
        ChatCompletion.Choice choice = new ChatCompletion.Choice(0, ChatMessage.assistant(content), "stop");
        return new ChatCompletion(
                "chatcmpl-mock-" + UUID.randomUUID().toString().replace("-", ""),
                this.clock.instant().getEpochSecond(),
                request.model(),
                List.of(choice),
                new Usage(promptTokens, completionTokens, promptTokens + completionTokens),
                null);
    }

    private EmbeddingResponse embed(EmbeddingRequest request) {
        int dimensions =
                (request.params().get("dimensions") instanceof Number number) ? number.intValue() : DEFAULT_DIMENSIONS;
        List<EmbeddingResponse.Embedding> data = new ArrayList<>();
        int promptTokens = 0;
        for (String text : request.input()) {
            data.add(new EmbeddingResponse.Embedding(data.size(), vector(request.model() + '\n' + text, dimensions)));
            promptTokens += tokens(text);
        }
        return new EmbeddingResponse(data, request.model(), new Usage(promptTokens, 0, promptTokens));
    }

    private static Flux<ChatCompletionChunk> toChunks(ChatCompletion completion) {
        String content = (completion.content() != null) ? completion.content() : "";
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        chunks.add(chunk(completion, new ChatCompletionChunk.Delta("assistant", ""), null));
        Arrays.stream(content.split("(?<= )"))
                .forEach(word -> chunks.add(chunk(completion, new ChatCompletionChunk.Delta(null, word), null)));
        chunks.add(chunk(completion, new ChatCompletionChunk.Delta(null, null), "stop"));
        return Flux.fromIterable(chunks);
    }

    private static ChatCompletionChunk chunk(
            ChatCompletion completion, ChatCompletionChunk.Delta delta, @Nullable String finishReason) {
        return new ChatCompletionChunk(
                completion.id(),
                completion.created(),
                completion.model(),
                List.of(new ChatCompletionChunk.Choice(0, delta, finishReason)),
                null,
                false);
    }

    private static float[] vector(String seed, int dimensions) {
        Random random = new Random(seed.hashCode());
        float[] vector = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) random.nextGaussian();
            norm += vector[i] * vector[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) {
            vector[i] *= scale;
        }
        return vector;
    }

    private static int tokens(@Nullable String text) {
        return (text == null) ? 0 : Math.max(1, text.length() / 4);
    }
}
