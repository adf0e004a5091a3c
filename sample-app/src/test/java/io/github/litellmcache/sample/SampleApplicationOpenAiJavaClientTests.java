package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import com.openai.models.responses.ResponseCreateParams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The sample application driven by the official OpenAI Java SDK, pointed at it as at any
 * OpenAI-compatible server. Like the Python SDK, it asks for base64 embeddings by default.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"litellm.mock.enabled=true", "litellm.mock.latency=20ms", "litellm.cache.type=local"})
class SampleApplicationOpenAiJavaClientTests {

    private static final String CACHE_HIT = "x-litellm-cache-hit";

    private static final String CACHE_KEY = "x-litellm-cache-key";

    @LocalServerPort
    private int port;

    @AutoClose
    private OpenAIClient client;

    @BeforeEach
    void connect() {
        this.client = SampleClients.openAi(this.port);
    }

    private static ChatCompletionCreateParams.Builder chat(String prompt) {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage(prompt);
    }

    @Test
    void repeatedChatIsACacheHitSeenInTheResponseHeader() {
        ChatCompletionCreateParams params =
                chat("Tell me about caches " + UUID.randomUUID()).build();

        HttpResponseFor<ChatCompletion> first =
                this.client.withRawResponse().chat().completions().create(params);
        HttpResponseFor<ChatCompletion> second =
                this.client.withRawResponse().chat().completions().create(params);

        assertThat(first.headers().values(CACHE_HIT)).containsExactly("false");
        assertThat(second.headers().values(CACHE_HIT)).containsExactly("true");
        ChatCompletion original = first.parse();
        ChatCompletion cached = second.parse();
        assertThat(cached.id()).isEqualTo(original.id());
        assertThat(cached.choices().get(0).message().content())
                .isNotEmpty()
                .isEqualTo(original.choices().get(0).message().content());
    }

    @Test
    void streamedChatEndsWithTheUsageChunkAndItsRepeatReplaysIt() {
        ChatCompletionCreateParams params = chat("Stream with usage " + UUID.randomUUID())
                .streamOptions(
                        ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();

        List<ChatCompletionChunk> first = stream(params);
        List<ChatCompletionChunk> replayed = stream(params);

        ChatCompletionChunk last = first.get(first.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage())
                .hasValueSatisfying(usage -> assertThat(usage.totalTokens()).isPositive());
        assertThat(first.subList(0, first.size() - 1))
                .allSatisfy(chunk -> assertThat(chunk.usage()).isEmpty());
        assertThat(replayed).hasSameSizeAs(first);
        assertThat(replayed.get(0).id())
                .as("served from the cache")
                .isEqualTo(first.get(0).id());
        assertThat(replayed.get(replayed.size() - 1).usage()).isEqualTo(last.usage());
        assertThat(text(replayed).get(0L)).isNotEmpty().isEqualTo(text(first).get(0L));
    }

    @Test
    void nChoicesAreAnsweredWithDistinctContent() {
        ChatCompletion completion = this.client
                .chat()
                .completions()
                .create(chat("Three ideas " + UUID.randomUUID()).n(3).build());

        assertThat(completion.choices())
                .extracting(ChatCompletion.Choice::index)
                .containsExactly(0L, 1L, 2L);
        assertThat(completion.choices())
                .map(choice -> choice.message().content().orElseThrow())
                .doesNotHaveDuplicates();
    }

    @Test
    void nChoicesAreStreamedToo() {
        Map<Long, String> texts =
                text(stream(chat("Two ideas " + UUID.randomUUID()).n(2).build()));

        assertThat(texts).containsOnlyKeys(0L, 1L);
        assertThat(texts.get(0L)).isNotEmpty().isNotEqualTo(texts.get(1L));
    }

    @Test
    void embeddingsAreTheSameAsFloatsAndInTheDefaultBase64AndShareOneCacheEntry() throws IOException {
        EmbeddingCreateParams.Builder embed = EmbeddingCreateParams.builder()
                .model("text-embedding-3-small")
                .input("Vectors " + UUID.randomUUID())
                .dimensions(8);

        HttpResponse base64OnTheWire =
                this.client.withRawResponse().embeddings().create(embed.build());
        String wire;
        try (base64OnTheWire) {
            wire = new String(base64OnTheWire.body().readAllBytes(), StandardCharsets.UTF_8);
        }
        HttpResponseFor<CreateEmbeddingResponse> asFloats = this.client
                .withRawResponse()
                .embeddings()
                .create(embed.encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                        .build());
        CreateEmbeddingResponse decoded = this.client
                .embeddings()
                .create(embed.encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64)
                        .build());

        assertThat(wire).containsPattern("\"embedding\":\"[A-Za-z0-9+/=]+\"");
        assertThat(base64OnTheWire.headers().values(CACHE_HIT)).containsExactly("false");
        assertThat(asFloats.headers().values(CACHE_HIT))
                .as("the encoding does not split the cache")
                .containsExactly("true");
        List<Float> floats = asFloats.parse().data().get(0).embedding();
        assertThat(floats).hasSize(8);
        assertThat(decoded.data().get(0).embedding()).isEqualTo(floats);
    }

    @Test
    void tokenArraysAreEmbeddedOneVectorEachAndTheirRepeatIsACacheHit() {
        List<Embedding> data = missedThenHit(
                EmbeddingCreateParams.Input.ofArrayOfTokenArrays(List.of(List.of(1L, tag()), List.of(3L))));

        assertThat(data).extracting(Embedding::index).containsExactly(0L, 1L);
        assertThat(data.get(0).embedding()).hasSize(8).isNotEqualTo(data.get(1).embedding());
    }

    @Test
    void oneTokenArrayIsOneItemAnsweredFromTheCacheOnItsRepeat() {
        List<Embedding> data = missedThenHit(EmbeddingCreateParams.Input.ofArrayOfTokens(List.of(5L, 6L, tag())));

        assertThat(data)
                .singleElement()
                .satisfies(embedding -> assertThat(embedding.embedding()).hasSize(8));
    }

    /** A token id no other test run sends. */
    private static long tag() {
        return System.nanoTime() & 0x7fff_ffff;
    }

    /**
     * The embeddings of {@code input}, in 8 dimensions, asserting that the first call missed and
     * its repeat was a cache hit with a key and the same embeddings.
     */
    private List<Embedding> missedThenHit(EmbeddingCreateParams.Input input) {
        EmbeddingCreateParams params = EmbeddingCreateParams.builder()
                .model("text-embedding-3-small")
                .input(input)
                .dimensions(8)
                .build();

        HttpResponseFor<CreateEmbeddingResponse> first =
                this.client.withRawResponse().embeddings().create(params);
        HttpResponseFor<CreateEmbeddingResponse> second =
                this.client.withRawResponse().embeddings().create(params);

        assertThat(first.headers().values(CACHE_HIT)).containsExactly("false");
        assertThat(second.headers().values(CACHE_HIT)).containsExactly("true");
        assertThat(second.headers().values(CACHE_KEY))
                .singleElement()
                .asString()
                .isNotBlank();
        assertThat(second.parse().data()).isEqualTo(first.parse().data());
        return first.parse().data();
    }

    @Test
    void badRequestIsAnOpenAiErrorNamingTheField() {
        assertThatExceptionOfType(BadRequestException.class)
                .isThrownBy(() -> this.client
                        .chat()
                        .completions()
                        .create(chat("Hi").model(" ").build()))
                .satisfies(error -> {
                    assertThat(error.statusCode()).isEqualTo(400);
                    assertThat(error.type()).contains("invalid_request_error");
                    assertThat(error.param()).contains("model");
                    assertThat(error.code()).contains("missing_required_parameter");
                })
                .withMessageContaining("add \"model\": \"gpt-4o-mini\" to the request body");
    }

    @Test
    void anUnservedRouteIsAnOpenAiNotFoundNamingItAndTheRoutesServed() {
        assertThatExceptionOfType(NotFoundException.class)
                .isThrownBy(() -> this.client
                        .responses()
                        .create(ResponseCreateParams.builder()
                                .model("gpt-4o-mini")
                                .input("Hi")
                                .build()))
                .satisfies(error -> assertThat(error.type()).contains("invalid_request_error"))
                .withMessageContaining("POST /v1/responses")
                .withMessageContaining("POST /v1/chat/completions");
    }

    @Test
    void modelsAreListed() {
        List<Model> models = this.client.models().list().data();

        assertThat(models).extracting(Model::id).containsExactly("gpt-4o-mini", "text-embedding-3-small");
        assertThat(models).allSatisfy(model -> {
            assertThat(model.ownedBy()).isEqualTo("litellm-cache-mock");
            assertThat(model.created()).isPositive();
        });
    }

    private List<ChatCompletionChunk> stream(ChatCompletionCreateParams params) {
        try (StreamResponse<ChatCompletionChunk> stream =
                this.client.chat().completions().createStreaming(params)) {
            return stream.stream().toList();
        }
    }

    /** The text of each choice of a stream, by index. */
    private static Map<Long, String> text(List<ChatCompletionChunk> chunks) {
        return chunks.stream()
                .flatMap(chunk -> chunk.choices().stream())
                .collect(Collectors.groupingBy(
                        ChatCompletionChunk.Choice::index,
                        Collectors.mapping(choice -> choice.delta().content().orElse(""), Collectors.joining())));
    }
}
