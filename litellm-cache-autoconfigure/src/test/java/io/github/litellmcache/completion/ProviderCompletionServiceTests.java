package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.litellmcache.testsupport.OpenAiFake;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.web.reactive.function.client.WebClient;

/** The provider client on the wire, against a real HTTP fake of OpenAI and Azure OpenAI. */
class ProviderCompletionServiceTests {

    private final OpenAiFake provider = new OpenAiFake();

    private final ProviderCompletionService service = service(false, Duration.ZERO);

    private ProviderCompletionService service(boolean mockAll, Duration mockLatency) {
        return service(WebClient.create(), mockAll, mockLatency);
    }

    private ProviderCompletionService service(WebClient webClient, boolean mockAll, Duration mockLatency) {
        ProviderRouter router = new ProviderRouter(
                new ProviderEndpoint(this.provider.apiBase(), "sk-openai-secret", null),
                new ProviderEndpoint(this.provider.root(), "azure-secret-key", "2024-10-21"));
        return new ProviderCompletionService(
                webClient,
                router,
                new MockProvider(mockLatency, Clock.systemUTC()),
                mockAll,
                WireFormat.jsonMapper(),
                Duration.ofMinutes(10));
    }

    @AfterEach
    void stopProvider() throws Exception {
        this.provider.close();
    }

    /** A question of {@code prompt} to gpt-4o-mini. */
    private static ChatCompletionRequest asking(String prompt) {
        return ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .message(ChatMessage.user(prompt))
                .build();
    }

    private static ChatCompletionRequest.Builder question(String model) {
        return ChatCompletionRequest.builder().model(model).message(ChatMessage.user("hello"));
    }

    @Test
    void openAiCompletionIsPostedWithBearerAuthAndWireNames() {
        ChatCompletion answer = this.service.completion(
                question("openai/gpt-4o-mini").maxTokens(5).topP(0.5).build());
        RecordedRequest request = this.provider.lastRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer sk-openai-secret");
        assertThat(this.provider.lastBody().path("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(this.provider.lastBody().path("max_tokens").asInt()).isEqualTo(5);
        assertThat(this.provider.lastBody().path("top_p").asDouble()).isEqualTo(0.5);
        assertThat(this.provider
                        .lastBody()
                        .path("messages")
                        .get(0)
                        .path("content")
                        .asString())
                .isEqualTo("hello");
        assertThat(answer.id()).startsWith("chatcmpl-fake-");
        assertThat(answer.content()).isEqualTo("answer 1 to hello");
        assertThat(answer.usage().totalTokens()).isEqualTo(11);
        assertThat(answer.cacheHit()).isFalse();
    }

    @Test
    void azureIsRoutedToTheDeploymentWithApiVersionAndApiKeyHeader() {
        this.service.completion(question("azure/my-gpt4o").build());
        RecordedRequest request = this.provider.lastRequest();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/openai/deployments/my-gpt4o/chat/completions");
        assertThat(request.getUrl().queryParameter("api-version")).isEqualTo("2024-10-21");
        assertThat(request.getHeaders().get("api-key")).isEqualTo("azure-secret-key");
        assertThat(request.getHeaders().get("Authorization")).isNull();
        this.service.embedding(EmbeddingRequest.builder()
                .model("azure/my-embedder")
                .input("x")
                .apiVersion("2025-01-01")
                .build());
        assertThat(this.provider.lastRequest().getUrl().encodedPath())
                .isEqualTo("/openai/deployments/my-embedder/embeddings");
        assertThat(this.provider.lastRequest().getUrl().queryParameter("api-version"))
                .isEqualTo("2025-01-01");
    }

    @Test
    void requestOverridesApiKeyAndApiBase() {
        try (OpenAiFake other = new OpenAiFake()) {
            this.service.completion(question("gpt-4o-mini")
                    .apiBase(other.apiBase())
                    .apiKey("sk-per-request")
                    .build());
            assertThat(this.provider.requestCount()).isZero();
            assertThat(other.lastRequest().getHeaders().get("Authorization")).isEqualTo("Bearer sk-per-request");
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void embeddingsArePostedAndParsed() {
        EmbeddingResponse response = this.service
                .aembedding(EmbeddingRequest.builder()
                        .model("text-embedding-3-small")
                        .input(List.of("a", "bcd"))
                        .dimensions(3)
                        .build())
                .block();
        assertThat(this.provider.lastRequest().getUrl().encodedPath()).isEqualTo("/v1/embeddings");
        assertThat(this.provider.lastBody().path("dimensions").asInt()).isEqualTo(3);
        assertThat(this.provider.lastBody().path("encoding_format").asString())
                .as("asked for when the caller names none, as OpenAI's SDKs do: a quarter of the bytes")
                .isEqualTo("base64");
        assertThat(response.data()).hasSize(2);
        assertThat(response.data().get(1).index()).isEqualTo(1);
        assertThat(response.data().get(1).embedding()).containsExactly(OpenAiFake.vectorArrayOf("bcd"));
        assertThat(response.usage().promptTokens()).isEqualTo(6);
    }

    @Test
    void base64EmbeddingsAreDecodedIntoFloats() {
        EmbeddingResponse response = this.service.embedding(EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input(List.of("a", "bcd"))
                .encodingFormat("base64")
                .build());
        assertThat(this.provider.lastBody().path("encoding_format").asString()).isEqualTo("base64");
        assertThat(response.data().get(0).embedding()).containsExactly(OpenAiFake.vectorArrayOf("a"));
        assertThat(response.data().get(1).embedding()).containsExactly(OpenAiFake.vectorArrayOf("bcd"));
    }

    @Test
    void anEncodingFormatTheCallerNamesIsSentAsItIs() {
        EmbeddingResponse response = this.service.embedding(EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input("bcd")
                .encodingFormat("float")
                .build());
        assertThat(this.provider.lastBody().path("encoding_format").asString()).isEqualTo("float");
        assertThat(response.data().get(0).embedding()).containsExactly(OpenAiFake.vectorArrayOf("bcd"));
    }

    @Test
    void aBase64EmbeddingThatIsNotWholeFloat32ValuesIsRefusedRatherThanCutShort() {
        assertThatTheEmbeddingIsRefused("AAAAAAA=", "5 bytes");
    }

    @Test
    void anEmbeddingWithANullValueIsRefusedRatherThanReadAsZero() {
        assertThatTheEmbeddingIsRefused(Arrays.asList(0.5f, null, 0.25f), "value 1 is VALUE_NULL");
    }

    /** The provider answers with {@code vector} as the embedding: the call fails, its cause saying {@code why}. */
    private void assertThatTheEmbeddingIsRefused(Object vector, String why) {
        this.provider.answerEveryEmbeddingWith(vector);

        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.embedding(EmbeddingRequest.builder()
                        .model("text-embedding-3-small")
                        .input("a")
                        .encodingFormat((vector instanceof String) ? "base64" : "float")
                        .build()))
                .withMessageContaining("not an OpenAI answer")
                .satisfies(error -> assertThat(error.getCause()).hasMessageContaining(why));
    }

    @Test
    void streamOptionsAreSentAndTheUsageChunkWithoutChoicesIsKept() {
        List<ChatCompletionChunk> chunks = this.service
                .streamCompletion(question("gpt-4o-mini")
                        .param("stream_options", Map.of("include_usage", true))
                        .build())
                .collectList()
                .block();
        assertThat(this.provider
                        .lastBody()
                        .path("stream_options")
                        .path("include_usage")
                        .asBoolean())
                .isTrue();
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.content()).isNull();
        assertThat(last.usage()).isEqualTo(new Usage(10, 1, 11));
        assertThat(ChatCompletionChunks.isComplete(chunks)).isTrue();
        assertThat(ChatCompletionChunks.assemble(chunks).usage()).isEqualTo(new Usage(10, 1, 11));
        assertThat(ChatCompletionChunks.assemble(chunks).content()).isEqualTo("answer 1 to hello");
    }

    @Test
    void streamsAreReadAsServerSentEventsUntilDone() {
        List<ChatCompletionChunk> chunks = this.service
                .streamCompletion(question("gpt-4o-mini").build())
                .collectList()
                .block();
        assertThat(this.provider.lastBody().path("stream").asBoolean()).isTrue();
        assertThat(chunks).hasSizeGreaterThan(3);
        assertThat(chunks.get(0).choices().get(0).delta().role()).isEqualTo("assistant");
        assertThat(ChatCompletionChunks.assemble(chunks).content()).isEqualTo("answer 1 to hello");
        assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason())
                .isEqualTo("stop");
    }

    @Test
    void errorEventInTheMiddleOfAStreamBecomesLlmException() {
        this.provider.failNextStreamMidway("overloaded, try again");
        List<ChatCompletionChunk> received = new java.util.ArrayList<>();
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service
                        .streamCompletion(question("gpt-4o-mini").build())
                        .doOnNext(received::add)
                        .blockLast())
                .withMessageContaining("overloaded, try again");
        assertThat(received).isNotEmpty();
    }

    @Test
    void httpErrorsBecomeLlmExceptionWithStatusAndProviderMessageButNoKey() {
        this.provider.fail(
                401,
                "{\"error\":{\"message\":\"Incorrect API key provided: sk-openai-secret. You can find your key at"
                        + " https://platform.openai.com\",\"type\":\"invalid_request_error\"}}");
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(
                        () -> this.service.completion(question("gpt-4o-mini").build()))
                .satisfies(error -> {
                    assertThat(error.statusCode()).isEqualTo(401);
                    assertThat(error.getMessage())
                            .contains("Incorrect API key provided")
                            .doesNotContain("sk-openai-secret");
                });
        this.provider.fail(500, "upstream exploded");
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.embedding(EmbeddingRequest.builder()
                        .model("text-embedding-3-small")
                        .input("x")
                        .build()))
                .satisfies(error -> {
                    assertThat(error.statusCode()).isEqualTo(500);
                    assertThat(error.getMessage()).contains("upstream exploded");
                });
    }

    @Test
    void theProvidersErrorTypeCodeAndParamAreKeptAndAbsentOnesAreNull() {
        this.provider.fail(
                400,
                "{\"error\":{\"message\":\"Too long.\",\"type\":\"invalid_request_error\",\"param\":\"messages\","
                        + "\"code\":\"context_length_exceeded\"}}");
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(
                        () -> this.service.completion(question("gpt-4o-mini").build()))
                .extracting(LlmException::providerError)
                .isEqualTo(new LlmException.ProviderError(
                        "invalid_request_error", "context_length_exceeded", "messages", null));
        this.provider.fail(503, "upstream exploded");
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(
                        () -> this.service.completion(question("gpt-4o-mini").build()))
                .extracting(LlmException::providerError)
                .isEqualTo(LlmException.ProviderError.NONE);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "retry-after-ms | 1500      | PT1.5S",
                "retry-after    | 7         | PT7S",
                "retry-after    | soon      | ",
                "retry-after    | -3        | ",
                "retry-after    | 999999999 | ",
                "retry-after-ms | NaN       | ",
            })
    void theWaitTheProviderAskedForIsKeptWhenItIsOne(String header, String value, @Nullable Duration expected) {
        this.provider.fail(429, "{\"error\":{\"message\":\"Slow down.\"}}", Map.of(header, value));
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(
                        () -> this.service.completion(question("gpt-4o-mini").build()))
                .extracting(error -> error.providerError().retryAfter())
                .isEqualTo(expected);
    }

    @Test
    void aRetryAfterDateIsTheWaitUntilIt() {
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(1));
        this.provider.fail(503, "overloaded", Map.of("Retry-After", inAMinute));
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(
                        () -> this.service.completion(question("gpt-4o-mini").build()))
                .extracting(error -> error.providerError().retryAfter())
                .satisfies(wait -> assertThat(wait).isBetween(Duration.ofSeconds(30), Duration.ofMinutes(1)));
    }

    @Test
    void aStreamAnsweredWithPlainJsonIsAnLlmExceptionSayingSo() {
        this.provider.fail(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[]}");
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service
                        .streamCompletion(question("gpt-4o-mini").build())
                        .blockLast())
                .withMessageContaining("not server-sent events");
    }

    @Test
    void whatAProviderErrorQuotesOfThePromptIsHiddenFromTheException() {
        String prompt = "My account number is 4111-1111-1111-1111, please summarise my statement";
        this.provider.fail(
                400,
                "{\"error\":{\"message\":\"Invalid request: '" + prompt.substring(0, 40)
                        + "...' is flagged\",\"type\":\"invalid_request_error\"}}");
        ChatCompletionRequest request = asking(prompt);
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.completion(request))
                .satisfies(error -> assertThat(error.getMessage())
                        .contains("Invalid request: '(prompt text hidden)...' is flagged")
                        .doesNotContain("4111"));
        this.provider.fail(400, "{\"error\":{\"message\":\"cannot embed 'a secret recipe' today\"}}");
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.embedding(EmbeddingRequest.builder()
                        .model("text-embedding-3-small")
                        .input(List.of("a secret recipe", "other"))
                        .build()))
                .withMessageContaining("cannot embed '(prompt text hidden)' today");
    }

    @Test
    void aPromptQuotedJsonEscapedInAnErrorBodyThatIsNotOpenAisIsHiddenFromTheException() {
        String prompt = "Пароль от сейфа: семь три девять";
        ChatCompletionRequest request = asking(prompt);
        for (String body : List.of(
                "{\"detail\":[{\"msg\":\"field required\",\"input\":\"" + asciiEscaped(prompt) + "\"}]}",
                "\"field required: " + asciiEscaped(prompt) + "\"")) {
            this.provider.fail(422, body);
            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> this.service.completion(request))
                    .satisfies(error -> assertThat(error.getMessage())
                            .contains("field required")
                            .doesNotContain(asciiEscaped("Пароль от сейфа"))
                            .doesNotContain("Пароль от сейфа"));
        }
    }

    /** {@code text} as Python's {@code json.dumps} writes it: every non-ASCII character as {@code \\uXXXX}. */
    private static String asciiEscaped(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : text.toCharArray()) {
            escaped.append((c < 128) ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return escaped.toString();
    }

    @Test
    void whatAStreamsErrorEventQuotesOfThePromptIsHiddenFromTheException() {
        this.provider.failNextStreamMidway("the text 'What is the capital of France' broke the tokenizer");
        ChatCompletionRequest request = asking("What is the capital of France?");
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.streamCompletion(request).blockLast())
                .withMessageContaining("the text '(prompt text hidden)' broke the tokenizer")
                .withMessageNotContaining("capital");
    }

    @Test
    void partiallyMaskedKeysInProviderMessagesAreRemovedToo() {
        this.provider.fail(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-abc12********wxyz.\"}}");
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(
                        () -> this.service.completion(question("gpt-4o-mini").build()))
                .withMessageNotContaining("sk-abc12");
    }

    @Test
    void unreachableProviderBecomesLlmExceptionWithoutStatusNorAddress() throws Exception {
        String apiBase = this.provider.apiBase();
        this.provider.close();
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(
                        () -> this.service.completion(question("gpt-4o-mini").build()))
                .satisfies(error -> assertThat(error.statusCode()).isZero())
                .withMessageContaining("could not reach openai")
                .withMessageNotContaining(apiBase)
                .withMessageNotContaining("127.0.0.1");
    }

    @Test
    void anAnswerOverTheInMemoryLimitNamesTheSettingToRaise() {
        WebClient small = WebClient.builder()
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(64))
                .build();
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> service(small, false, Duration.ZERO)
                        .completion(question("gpt-4o-mini").build()))
                .satisfies(error -> assertThat(error.statusCode()).isZero())
                .withMessageContaining("litellm.max-response-size");
    }

    @Test
    void requestTimeoutBoundsTheWait() {
        this.provider.latency(Duration.ofSeconds(3));
        assertThatExceptionOfType(LlmException.class)
                .isThrownBy(() -> this.service.completion(
                        question("gpt-4o-mini").timeout(Duration.ofMillis(200)).build()))
                .withMessageContaining("did not answer within 200ms");
    }

    @Test
    void aRequestTimeoutOverTenYearsIsRefusedWhenTheRequestIsBuilt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> question("gpt-4o-mini")
                        .timeout(Duration.ofDays(9_999_999))
                        .build())
                .withMessageContaining("timeout must be positive and at most 3650 days");
    }

    @Test
    void azureWithoutApiVersionFailsNamingTheProperty() {
        ProviderRouter router = new ProviderRouter(
                new ProviderEndpoint("https://api.openai.com/v1", null, null),
                new ProviderEndpoint("https://x.openai.azure.com", "k", null));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> router.route(question("azure/dep").build()))
                .withMessageContaining("litellm.azure.api-version");
    }

    @Test
    void anAzureDeploymentThatIsEmptyOrADotSegmentIsRefusedBeforeAnyRequest() {
        for (String model : List.of("azure/..", "azure/.", "azure/")) {
            assertThatIllegalArgumentException()
                    .as(model)
                    .isThrownBy(() -> this.service.completion(question(model).build()))
                    .withMessageContaining("azure/<deployment>");
        }
        assertThat(this.provider.requestCount()).isZero();
    }

    @Test
    void mockResponseAnswersWithoutNetwork() {
        ChatCompletion answer = this.service.completion(
                question("gpt-4o-mini").mockResponse("It is Paris.").build());
        assertThat(answer.content()).isEqualTo("It is Paris.");
        assertThat(answer.usage().completionTokens()).isPositive();
        assertThat(this.provider.requestCount()).isZero();
    }

    @Test
    void mockProviderIsDeterministicPerRequestAndNeedsNoNetwork() {
        ProviderCompletionService mocked = service(true, Duration.ZERO);
        ChatCompletion one = mocked.completion(question("gpt-4o-mini").build());
        ChatCompletion two = mocked.completion(question("gpt-4o-mini").build());
        assertThat(one.content()).isEqualTo(two.content());
        assertThat(one.id()).isNotEqualTo(two.id());
        EmbeddingRequest embed = EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input(List.of("a", "b"))
                .dimensions(8)
                .build();
        EmbeddingResponse first = mocked.embedding(embed);
        assertThat(first.data()).hasSize(2);
        assertThat(first.data().get(0).embedding()).hasSize(8);
        assertThat(mocked.embedding(embed).data()).isEqualTo(first.data());
        assertThat(first.data().get(0)).isNotEqualTo(first.data().get(1));
        assertThat(mocked.streamCompletion(question("gpt-4o-mini").build())
                        .mapNotNull(ChatCompletionChunk::content)
                        .reduce(String::concat)
                        .block())
                .isEqualTo(one.content());
        assertThat(this.provider.requestCount()).isZero();
    }
}
