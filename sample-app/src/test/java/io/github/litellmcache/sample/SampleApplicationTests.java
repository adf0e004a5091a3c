package io.github.litellmcache.sample;

import static io.github.litellmcache.sample.SampleClients.cacheHit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The sample application over real HTTP on a random port, answered by the built-in mock provider. */
@TestPropertySource(properties = "litellm.cache.type=local")
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationTests extends SampleApplicationOnMockProvider {

    private static final JsonMapper json = JsonMapper.builder().build();

    private static final String HEX_64 = "[0-9a-f]{64}";

    @Test
    void repeatedChatCompletionIsServedFromTheCacheWithTheSameBody() {
        Map<String, Object> request = chat("Tell me a joke about caches " + UUID.randomUUID());

        EntityExchangeResult<String> first = post("/v1/chat/completions", request);
        EntityExchangeResult<String> second = post("/v1/chat/completions", request);

        assertThat(first.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(second.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(cacheHit(first)).isEqualTo("false");
        assertThat(cacheHit(second)).isEqualTo("true");
        assertThat(cacheKey(first)).matches(HEX_64).isEqualTo(cacheKey(second));
        JsonNode original = read(first);
        JsonNode cached = read(second);
        assertThat(original.path("id").asString()).startsWith("chatcmpl-");
        assertThat(cached.path("id").asString()).isEqualTo(original.path("id").asString());
        assertThat(cached.path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asString())
                .isNotBlank()
                .isEqualTo(original.path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asString());
        assertThat(second.getResponseBody()).isEqualTo(first.getResponseBody());
    }

    @Test
    void chatCompletionBodyIsInTheOpenAiWireFormatWithoutCacheFields() {
        JsonNode body = read(post("/v1/chat/completions", chat("Wire format " + UUID.randomUUID())));

        assertThat(body.path("object").asString()).isEqualTo("chat.completion");
        assertThat(body.path("created").asLong()).isPositive();
        assertThat(body.path("choices").path(0).path("message").path("role").asString())
                .isEqualTo("assistant");
        assertThat(body.path("choices").path(0).path("finish_reason").asString())
                .isEqualTo("stop");
        assertThat(body.path("usage").path("total_tokens").asInt()).isPositive();
        assertThat(body.has("cacheHit")).isFalse();
        assertThat(body.has("cacheKey")).isFalse();
    }

    @Test
    void differentPromptIsACacheMissWithAnotherKey() {
        String topic = UUID.randomUUID().toString();
        EntityExchangeResult<String> first = post("/v1/chat/completions", chat("Tell me about " + topic));
        EntityExchangeResult<String> other = post("/v1/chat/completions", chat("Tell me more about " + topic));

        assertThat(cacheHit(first)).isEqualTo("false");
        assertThat(cacheHit(other)).isEqualTo("false");
        assertThat(cacheKey(other)).matches(HEX_64).isNotEqualTo(cacheKey(first));
        assertThat(read(other).path("id").asString())
                .isNotEqualTo(read(first).path("id").asString());
    }

    @Test
    void parameterOrderDoesNotChangeTheCacheKey() {
        String prompt = "Order " + UUID.randomUUID();
        Map<String, Object> oneOrder = new LinkedHashMap<>(chat(prompt));
        oneOrder.put("temperature", 0.2);
        oneOrder.put("max_tokens", 50);
        Map<String, Object> otherOrder = new LinkedHashMap<>();
        otherOrder.put("max_tokens", 50);
        otherOrder.put("temperature", 0.2);
        otherOrder.putAll(chat(prompt));

        EntityExchangeResult<String> first = post("/v1/chat/completions", oneOrder);
        EntityExchangeResult<String> second = post("/v1/chat/completions", otherOrder);

        assertThat(cacheHit(second)).isEqualTo("true");
        assertThat(cacheKey(second)).isEqualTo(cacheKey(first));
    }

    @Test
    void cachingFalseBypassesTheCacheAndSendsNoKey() {
        Map<String, Object> request = new LinkedHashMap<>(chat("Bypass " + UUID.randomUUID()));
        request.put("caching", false);

        EntityExchangeResult<String> first = post("/v1/chat/completions", request);
        EntityExchangeResult<String> second = post("/v1/chat/completions", request);

        assertThat(cacheHit(second)).isEqualTo("false");
        assertThat(second.getResponseHeaders().containsHeader("x-litellm-cache-key"))
                .isFalse();
        assertThat(read(second).path("id").asString())
                .isNotEqualTo(read(first).path("id").asString());
    }

    @Test
    void noCacheOptionSkipsTheReadButStoresTheFreshAnswer() {
        Map<String, Object> request = chat("Fresh " + UUID.randomUUID());
        Map<String, Object> noCache = new LinkedHashMap<>(request);
        noCache.put("cache", Map.of("no-cache", true));

        EntityExchangeResult<String> original = post("/v1/chat/completions", request);
        EntityExchangeResult<String> fresh = post("/v1/chat/completions", noCache);
        EntityExchangeResult<String> cached = post("/v1/chat/completions", request);

        assertThat(cacheHit(fresh)).isEqualTo("false");
        assertThat(cacheKey(fresh)).isEqualTo(cacheKey(original));
        assertThat(read(fresh).path("id").asString())
                .isNotEqualTo(read(original).path("id").asString());
        assertThat(cacheHit(cached)).isEqualTo("true");
        assertThat(read(cached).path("id").asString())
                .isEqualTo(read(fresh).path("id").asString());
    }

    @Test
    void unknownParameterIsPassedThroughAndEntersTheCacheKey() {
        Map<String, Object> request = chat("Tier " + UUID.randomUUID());
        Map<String, Object> withTier = new LinkedHashMap<>(request);
        withTier.put("service_tier", "flex");

        EntityExchangeResult<String> plain = post("/v1/chat/completions", request);
        EntityExchangeResult<String> tiered = post("/v1/chat/completions", withTier);

        assertThat(tiered.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(cacheHit(tiered)).isEqualTo("false");
        assertThat(cacheKey(tiered)).matches(HEX_64).isNotEqualTo(cacheKey(plain));
    }

    @Test
    void repeatedEmbeddingIsServedFromTheCacheWithTheSameVectors() {
        Map<String, Object> request =
                Map.of("model", "text-embedding-3-small", "input", "The cache " + UUID.randomUUID(), "dimensions", 8);

        EntityExchangeResult<String> first = post("/v1/embeddings", request);
        EntityExchangeResult<String> second = post("/v1/embeddings", request);

        assertThat(first.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(cacheHit(first)).isEqualTo("false");
        assertThat(cacheHit(second)).isEqualTo("true");
        assertThat(cacheKey(first)).matches(HEX_64).isEqualTo(cacheKey(second));
        JsonNode body = read(second);
        assertThat(body.path("object").asString()).isEqualTo("list");
        assertThat(body.path("data").path(0).path("embedding").size()).isEqualTo(8);
        assertThat(second.getResponseBody()).isEqualTo(first.getResponseBody());
    }

    @Test
    void embeddingOfSeveralInputsKeepsTheirOrder() {
        String tag = UUID.randomUUID().toString();
        Map<String, Object> request = Map.of(
                "model", "text-embedding-3-small", "input", List.of("one " + tag, "two " + tag), "dimensions", 4);

        JsonNode body = read(post("/v1/embeddings", request));

        assertThat(body.path("data").size()).isEqualTo(2);
        assertThat(body.path("data").path(0).path("index").asInt()).isZero();
        assertThat(body.path("data").path(1).path("index").asInt()).isOne();
    }

    @Test
    void blankModelIsRejectedWithAnOpenAiErrorNamingModel() {
        Map<String, Object> request =
                Map.of("model", " ", "messages", List.of(Map.of("role", "user", "content", "Hi")));

        EntityExchangeResult<String> result = post("/v1/chat/completions", request);

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode error = read(result).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asString()).isEqualTo("model");
        assertThat(error.path("code").asString()).isEqualTo("missing_required_parameter");
        assertThat(error.path("message").asString())
                .isEqualTo("model is required: add \"model\": \"gpt-4o-mini\" to the request body");
    }

    @Test
    void missingMessagesAreRejectedWithAdviceForHttpClientsNotJavaCallers() {
        EntityExchangeResult<String> result = post("/v1/chat/completions", Map.of("model", "gpt-4o-mini"));

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode error = read(result).path("error");
        assertThat(error.path("param").asString()).isEqualTo("messages");
        assertThat(error.path("message").asString())
                .contains("add \"messages\": [{\"role\": \"user\"")
                .doesNotContain("builder");
    }

    @Test
    void nestedMissingFieldIsNamedWithItsPath() {
        Map<String, Object> request = Map.of("model", "gpt-4o-mini", "messages", List.of(Map.of("content", "Hi")));

        JsonNode error = read(post("/v1/chat/completions", request)).path("error");

        assertThat(error.path("param").asString()).isEqualTo("messages[0].role");
        assertThat(error.path("message").asString())
                .isEqualTo("messages[0].role is required: add \"role\": \"user\" to messages[0]");
    }

    @Test
    void nOutsideOpenAisBoundsIsRejectedNamingN() {
        Map<String, Object> request = new LinkedHashMap<>(chat("Hi"));
        request.put("n", 0);

        EntityExchangeResult<String> result = post("/v1/chat/completions", request);

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(read(result).path("error").path("param").asString()).isEqualTo("n");
        assertThat(read(result).path("error").path("code").asString()).isEqualTo("invalid_value");
    }

    @Test
    void nChoicesAreAnsweredAndStoredTogether() {
        Map<String, Object> request = new LinkedHashMap<>(chat("Ideas " + UUID.randomUUID()));
        request.put("n", 2);

        EntityExchangeResult<String> first = post("/v1/chat/completions", request);
        EntityExchangeResult<String> second = post("/v1/chat/completions", request);

        JsonNode choices = read(first).path("choices");
        assertThat(choices.size()).isEqualTo(2);
        assertThat(choices.path(1).path("index").asInt()).isOne();
        assertThat(choices.path(1).path("message").path("content").asString())
                .isNotEqualTo(choices.path(0).path("message").path("content").asString());
        assertThat(cacheHit(second)).isEqualTo("true");
        assertThat(second.getResponseBody()).isEqualTo(first.getResponseBody());
    }

    @Test
    void streamedChatIsServerSentEventsAndItsRepeatIsReplayedFromTheCacheButNotToAPlainRequest() {
        Map<String, Object> request = new LinkedHashMap<>(chat("Stream me a haiku."));
        request.put("stream", true);

        EntityExchangeResult<String> first = post("/v1/chat/completions", request);
        EntityExchangeResult<String> second = post("/v1/chat/completions", request);
        EntityExchangeResult<String> whole = post("/v1/chat/completions", chat("Stream me a haiku."));

        assertThat(first.getResponseHeaders().getContentType().isCompatibleWith(MediaType.TEXT_EVENT_STREAM))
                .isTrue();
        assertThat(cacheHit(first)).isEqualTo("false");
        assertThat(cacheHit(second)).isEqualTo("true");
        List<String> events = events(first);
        assertThat(events).hasSizeGreaterThan(2).last().isEqualTo("[DONE]");
        assertThat(events(second)).isEqualTo(events);
        String streamed = events.subList(0, events.size() - 1).stream()
                .map(event -> json.readTree(event)
                        .path("choices")
                        .path(0)
                        .path("delta")
                        .path("content")
                        .asString(""))
                .reduce("", String::concat);
        assertThat(cacheHit(whole))
                .as("a plain request, which expects usage, is not served from a stream stored without it")
                .isEqualTo("false");
        assertThat(read(whole).path("usage").path("total_tokens").isNumber()).isTrue();
        assertThat(read(whole)
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asString())
                .isEqualTo(streamed);
    }

    private static List<String> events(EntityExchangeResult<String> result) {
        return result.getResponseBody()
                .lines()
                .filter(line -> line.startsWith("data:"))
                .map(line -> line.substring("data:".length()).strip())
                .toList();
    }

    @Test
    void mockResponseIsRefusedSoThatNoClientCanPlantACachedAnswer() {
        Map<String, Object> request = new LinkedHashMap<>(chat("What is the capital of France?"));
        request.put("mock_response", "Berlin");

        EntityExchangeResult<String> result = post("/v1/chat/completions", request);

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(read(result).path("error").path("message").asString()).contains("mock_response");
        assertThat(read(post("/v1/chat/completions", chat("What is the capital of France?")))
                        .toString())
                .doesNotContain("Berlin");
    }

    @Test
    void wrongFieldTypeIsRejectedWithAnOpenAiErrorNamingTheField() {
        Map<String, Object> request = new LinkedHashMap<>(chat("Hi"));
        request.put("temperature", "warm");

        EntityExchangeResult<String> result = post("/v1/chat/completions", request);

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode error = read(result).path("error");
        assertThat(error.path("message").asString())
                .isEqualTo("temperature must be a number")
                .doesNotContain("warm");
        assertThat(error.path("param").asString()).isEqualTo("temperature");
        assertThat(error.path("code").asString()).isEqualTo("invalid_type");
    }

    static Stream<Arguments> badTokenInputs() {
        return Stream.of(
                Arguments.of("a token and a string", List.of(1, "a"), "input[1]"),
                Arguments.of("a string and a token", List.of("a", 1), "input"),
                Arguments.of("a fractional token", List.of(1.5, 2), "input[0]"),
                Arguments.of("a negative token", List.of(-1), "input[0]"),
                Arguments.of("a token over 32 bits", List.of(3_000_000_000L), "input[0]"),
                Arguments.of("an empty token array", List.of(List.of()), "input[0]"),
                Arguments.of("an empty array after a token array", List.of(List.of(1), List.of()), "input[1]"),
                Arguments.of("a negative token in a token array", List.of(List.of(1), List.of(2, -3)), "input[1][1]"),
                Arguments.of("a token after a token array", List.of(List.of(1), 2), "input[1]"),
                Arguments.of("a token array after a token", List.of(1, List.of(2)), "input[1]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokenInputs")
    void badTokenInputIsRejectedWithAnOpenAiErrorNamingInputAndWhatToSend(String what, List<?> input, String param) {
        EntityExchangeResult<String> result =
                post("/v1/embeddings", Map.of("model", "text-embedding-3-small", "input", input));

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode error = read(result).path("error");
        assertThat(error.path("param").asString()).isEqualTo(param);
        assertThat(error.path("message").asString())
                .startsWith(param + " must be ")
                .contains("an array of strings");
    }

    @Test
    void emptyEmbeddingInputIsRejectedWithAnOpenAiErrorNamingInput() {
        EntityExchangeResult<String> result =
                post("/v1/embeddings", Map.of("model", "text-embedding-3-small", "input", List.of()));

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(read(result).path("error").path("message").asString()).contains("input");
        assertThat(read(result).path("error").path("param").asString()).isEqualTo("input");
    }

    @Test
    void base64EmbeddingIsTheFloatVectorAsLittleEndianFloat32AndSharesItsCacheEntry() {
        Map<String, Object> request = new LinkedHashMap<>(
                Map.of("model", "text-embedding-3-small", "input", "Encoded " + UUID.randomUUID(), "dimensions", 4));
        EntityExchangeResult<String> floats = post("/v1/embeddings", request);
        request.put("encoding_format", "base64");
        EntityExchangeResult<String> base64 = post("/v1/embeddings", request);

        assertThat(cacheHit(base64)).isEqualTo("true");
        assertThat(cacheKey(base64)).isEqualTo(cacheKey(floats));
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder()
                        .decode(read(base64)
                                .path("data")
                                .path(0)
                                .path("embedding")
                                .asString()))
                .order(ByteOrder.LITTLE_ENDIAN);
        JsonNode vector = read(floats).path("data").path(0).path("embedding");
        assertThat(bytes.remaining()).isEqualTo(4 * Float.BYTES);
        for (int i = 0; i < 4; i++) {
            assertThat(bytes.getFloat()).isEqualTo(vector.path(i).floatValue());
        }
    }

    @Test
    void base64EmbeddingBodyIsTheFloatBodyWithEachVectorReplacedInPlace() {
        Map<String, Object> request = new LinkedHashMap<>(
                Map.of("model", "text-embedding-3-small", "input", List.of("In place " + UUID.randomUUID(), "second")));
        EntityExchangeResult<String> floats = post("/v1/embeddings", request);
        request.put("encoding_format", "base64");
        EntityExchangeResult<String> base64 = post("/v1/embeddings", request);

        ObjectNode expected = (ObjectNode) read(floats);
        for (JsonNode item : expected.path("data")) {
            ByteBuffer bytes = ByteBuffer.allocate(
                            Float.BYTES * item.path("embedding").size())
                    .order(ByteOrder.LITTLE_ENDIAN);
            item.path("embedding").forEach(value -> bytes.putFloat(value.floatValue()));
            ((ObjectNode) item).put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
        }
        assertThat(base64.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(json.writeValueAsString(read(base64))).isEqualTo(json.writeValueAsString(expected));
    }

    @Test
    void unknownEncodingFormatIsRejectedNamingIt() {
        EntityExchangeResult<String> result = post(
                "/v1/embeddings", Map.of("model", "text-embedding-3-small", "input", "x", "encoding_format", "int8"));

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(read(result).path("error").path("param").asString()).isEqualTo("encoding_format");
    }

    @Test
    void cacheTtlBeyondWhatABackendStoresIsRejectedNamingIt() {
        Map<String, Object> body = new LinkedHashMap<>(chat("Huge TTL " + UUID.randomUUID()));
        body.put("cache", Map.of("ttl", 1e16));

        EntityExchangeResult<String> result = post("/v1/chat/completions", body);

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(read(result).path("error").path("param").asString()).isEqualTo("cache.ttl");
    }

    @Test
    void overlongNamespaceIsRejected() {
        Map<String, Object> body = new LinkedHashMap<>(chat("Long namespace " + UUID.randomUUID()));
        body.put("cache", Map.of("namespace", "n".repeat(1_000)));

        EntityExchangeResult<String> result = post("/v1/chat/completions", body);

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(result.getResponseBody()).doesNotContain("n".repeat(100));
    }

    @Test
    void modelsAreListedInOpenAisFormat() {
        EntityExchangeResult<String> result = this.client
                .get()
                .uri("/v1/models")
                .exchange()
                .expectBody(String.class)
                .returnResult();

        assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
        JsonNode body = read(result);
        assertThat(body.path("object").asString()).isEqualTo("list");
        assertThat(body.path("data").path(0).path("id").asString()).isEqualTo("gpt-4o-mini");
        assertThat(body.path("data").path(0).path("object").asString()).isEqualTo("model");
        assertThat(body.path("data").path(0).path("created").asLong()).isPositive();
        assertThat(body.path("data").path(0).path("owned_by").asString()).isEqualTo("litellm-cache-mock");
    }

    @ParameterizedTest
    @ValueSource(strings = {"azure/my-deployment", "anthropic/claude-3"})
    void theMockProviderAnswersAModelOfAnyPrefix(String model) {
        EntityExchangeResult<String> result = this.endpoint.post(SampleEndpoint.CHAT, SampleEndpoint.chat(model, "Hi"));

        assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(read(result)
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asString())
                .isNotBlank();
    }

    @Test
    void bodyThatIsNotJsonIsRejectedWithAnOpenAiError() {
        EntityExchangeResult<String> result = this.client
                .post()
                .uri("/v1/chat/completions")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{not json")
                .exchange()
                .expectBody(String.class)
                .returnResult();

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode error = read(result).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.has("param"))
                .as("present, and null as OpenAI sends it")
                .isTrue();
        assertThat(error.path("param").isNull()).isTrue();
        assertThat(error.path("code").isNull()).isTrue();
    }

    @Test
    void eachCallIsLoggedWithItsCacheHitButWithoutPromptOrKey(CapturedOutput output) {
        String prompt = "Secret prompt " + UUID.randomUUID();
        post("/v1/chat/completions", chat(prompt));
        EntityExchangeResult<String> hit = post("/v1/chat/completions", chat(prompt));

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(output.getOut())
                        .containsPattern("acompletion model=gpt-4o-mini cache_hit=false latency=\\d+ms")
                        .containsPattern("acompletion model=gpt-4o-mini cache_hit=true latency=\\d+ms"));
        assertThat(output.getAll()).doesNotContain(prompt).doesNotContain(cacheKey(hit));
    }

    private EntityExchangeResult<String> post(String path, Map<String, Object> body) {
        return SampleClients.post(this.client, path, body);
    }

    private static Map<String, Object> chat(String prompt) {
        return Map.of(
                "model",
                "gpt-4o-mini",
                "messages",
                List.of(Map.of("role", "system", "content", "Be brief."), Map.of("role", "user", "content", prompt)));
    }

    private static String cacheKey(EntityExchangeResult<String> result) {
        return result.getResponseHeaders().getFirst("x-litellm-cache-key");
    }

    private static JsonNode read(EntityExchangeResult<String> result) {
        return json.readTree(result.getResponseBody());
    }
}
