package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The sample app's OpenAI endpoints over real HTTP, for tests that send bodies as clients (or attackers) do. */
final class SampleEndpoint {

    static final String CHAT = "/v1/chat/completions";

    static final String EMBEDDINGS = "/v1/embeddings";

    private static final JsonMapper json = JsonMapper.builder().build();

    private final WebTestClient client;

    SampleEndpoint(int port) {
        this.client = SampleClients.web(port, Duration.ofSeconds(30))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(128 * 1024 * 1024))
                .build();
    }

    WebTestClient client() {
        return this.client;
    }

    /** Posts {@code body} (a {@code Map}, or the exact bytes when a {@code byte[]}) as JSON, with {@code apiKey} as bearer when not null. */
    EntityExchangeResult<String> post(String path, Object body, String apiKey) {
        return this.client
                .post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .headers(headers -> {
                    if (apiKey != null) {
                        headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey);
                    }
                })
                .bodyValue(body)
                .exchange()
                .expectBody(String.class)
                .returnResult();
    }

    EntityExchangeResult<String> post(String path, Object body) {
        return post(path, body, null);
    }

    /** The {@code error} object of an OpenAI error body, after checking that it has OpenAI's shape. */
    static JsonNode error(EntityExchangeResult<String> result) {
        JsonNode error = json.readTree(result.getResponseBody()).path("error");
        assertThat(error.path("message").isString())
                .as("error.message of %s", result.getResponseBody())
                .isTrue();
        assertThat(error.path("message").asString()).isNotBlank();
        assertThat(error.path("type").isString()).isTrue();
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
        return error;
    }

    static JsonNode read(EntityExchangeResult<String> result) {
        return json.readTree(result.getResponseBody());
    }

    static String cacheHit(EntityExchangeResult<String> result) {
        return result.getResponseHeaders().getFirst("x-litellm-cache-hit");
    }

    static Map<String, Object> chat(String model, String prompt) {
        return Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", prompt)));
    }
}
