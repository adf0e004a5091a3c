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
 * {@code mockResponse} text, or a deterministic text per request and choice; embeddings derived
 * from each input's text or token array; usage estimated at four characters a token (a token
 * array's own length). Each answer has a fresh
 * {@code id}, as a provider's would, after the configured latency. It honours what OpenAI clients
 * rely on: {@code n} choices, and in a stream a last chunk with the usage and no choices when
 * {@code stream_options.include_usage} is true.
 */
public final class MockProvider {

    private static final int DEFAULT_DIMENSIONS = 1536;

    /** The most choices OpenAI gives for one request. */
    private static final int MAX_CHOICES = 128;

    /** The most dimensions OpenAI's embedding models give. */
    private static final int MAX_DIMENSIONS = 3072;

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
        return completion(request).flatMapMany(completion -> toChunks(completion, request.includesUsage()));
    }

    public Mono<EmbeddingResponse> embedding(EmbeddingRequest request) {
        return delayed(Mono.fromSupplier(() -> embed(request)));
    }

    private <T> Mono<T> delayed(Mono<T> answer) {
        return this.latency.isZero() ? answer : answer.delayElement(this.latency);
    }

    private ChatCompletion answer(ChatCompletionRequest request) {
        int n = choices(request);
        List<ChatCompletion.Choice> choices = new ArrayList<>(n);
        int completionTokens = 0;
        for (int index = 0; index < n; index++) {
            String content = content(request, index);
            choices.add(new ChatCompletion.Choice(index, ChatMessage.assistant(content), "stop"));
            completionTokens += tokens(content);
        }
        int promptTokens = request.messages().stream()
                .mapToInt(message -> 4 + tokens(message.content()))
                .sum();
        return new ChatCompletion(
                "chatcmpl-mock-" + UUID.randomUUID().toString().replace("-", ""),
                this.clock.instant().getEpochSecond(),
                request.model(),
                choices,
                new Usage(promptTokens, completionTokens, promptTokens + completionTokens),
                null);
    }

    /** The request's {@code n}, refused outside OpenAI's range as OpenAI refuses it. */
    private static int choices(ChatCompletionRequest request) {
        if (!(request.params().get("n") instanceof Number n)) {
            return 1;
        }
        if (n.doubleValue() < 1 || n.doubleValue() > MAX_CHOICES) {
            throw new LlmException(400, "n must be between 1 and " + MAX_CHOICES);
        }
        return n.intValue();
    }

    /** The {@code mockResponse} text, or a text that differs per request and per choice. */
    private static String content(ChatCompletionRequest request, int index) {
        if (request.mockResponse() != null) {
            return request.mockResponse();
        }
        String requestHash = Integer.toHexString(request.params().hashCode());
        return (index == 0)
                ? "This is a mock response from " + request.model() + " (request " + requestHash + ")."
                : "This is mock choice " + index + " from " + request.model() + " (request " + requestHash + ").";
    }

    private EmbeddingResponse embed(EmbeddingRequest request) {
        int dimensions = dimensions(request);
        List<EmbeddingResponse.Embedding> data = new ArrayList<>();
        int promptTokens = 0;
        for (String text : request.input()) {
            data.add(new EmbeddingResponse.Embedding(data.size(), vector(request.model() + '\n' + text, dimensions)));
            promptTokens += tokens(text);
        }
        for (List<Integer> tokens : request.inputTokens()) {
            data.add(new EmbeddingResponse.Embedding(
                    data.size(), vector(request.model() + "\n\0" + tokens, dimensions)));
            promptTokens += tokens.size();
        }
        return new EmbeddingResponse(data, request.model(), new Usage(promptTokens, 0, promptTokens));
    }

    /**
     * The chunks OpenAI would stream: per choice, one with the role, one per word and one with the
     * finish reason; then, when asked, one with the usage and no choices.
     */
    private static Flux<ChatCompletionChunk> toChunks(ChatCompletion completion, boolean includeUsage) {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        for (ChatCompletion.Choice choice : completion.choices()) {
            int index = choice.index();
            String content =
                    (choice.message().content() != null) ? choice.message().content() : "";
            chunks.add(chunk(completion, index, new ChatCompletionChunk.Delta("assistant", ""), null));
            Arrays.stream(content.split("(?<= )"))
                    .forEach(word ->
                            chunks.add(chunk(completion, index, new ChatCompletionChunk.Delta(null, word), null)));
            chunks.add(chunk(completion, index, new ChatCompletionChunk.Delta(null, null), choice.finishReason()));
        }
        if (includeUsage) {
            chunks.add(new ChatCompletionChunk(
                    completion.id(), completion.created(), completion.model(), List.of(), completion.usage(), false));
        }
        return Flux.fromIterable(chunks);
    }

    private static ChatCompletionChunk chunk(
            ChatCompletion completion, int index, ChatCompletionChunk.Delta delta, @Nullable String finishReason) {
        return new ChatCompletionChunk(
                completion.id(),
                completion.created(),
                completion.model(),
                List.of(new ChatCompletionChunk.Choice(index, delta, finishReason)),
                null,
                false);
    }

    private static int dimensions(EmbeddingRequest request) {
        if (!(request.params().get("dimensions") instanceof Number number)) {
            return DEFAULT_DIMENSIONS;
        }
        if (number.doubleValue() < 1 || number.doubleValue() > MAX_DIMENSIONS) {
            throw new LlmException(400, "dimensions must be between 1 and " + MAX_DIMENSIONS);
        }
        return number.intValue();
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
