package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/**
 * The documented bounds of a request body ({@code sample.limits.*}, at their defaults): over any of
 * them is an OpenAI-shaped 400 (413 for the size) naming the limit and the setting that changes it,
 * never a 500.
 */
@TestPropertySource(properties = "litellm.cache.type=local")
@ExtendWith(OutputCaptureExtension.class)
class RequestBodyLimitsTests extends SampleApplicationOnMockProvider {

    @Test
    void bodyNestedToJacksonsOwnDepthLimitIsA400NamingTheLimitWithoutAStackTrace(CapturedOutput output) {
        String nested = "[".repeat(499) + "]".repeat(499);
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"metadata\":"
                + nested + "}";

        EntityExchangeResult<String> result = this.endpoint.post(SampleEndpoint.CHAT, bytes(body));

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(SampleEndpoint.error(result).path("message").asString())
                .contains("deeper than 64 levels")
                .contains("sample.limits.max-nesting-depth");
        assertThat(output.getAll()).doesNotContain("Unexpected failure").doesNotContain("\tat ");
    }

    @Test
    void bodyNestedWithinTheLimitIsAnswered() {
        String nested = "[".repeat(60) + "]".repeat(60);
        String body =
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Nested\"}],\"metadata\":"
                        + nested + "}";

        assertThat(this.endpoint.post(SampleEndpoint.CHAT, bytes(body)).getStatus())
                .isEqualTo(HttpStatus.OK);
    }

    @Test
    void moreMessagesThanTheLimitIsA400NamingTheSetting() {
        Map<String, Object> body = Map.of(
                "model", "gpt-4o-mini", "messages", Collections.nCopies(2_049, Map.of("role", "user", "content", "x")));

        EntityExchangeResult<String> result = this.endpoint.post(SampleEndpoint.CHAT, body);

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode error = SampleEndpoint.error(result);
        assertThat(error.path("param").asString()).isEqualTo("messages");
        assertThat(error.path("message").asString())
                .isEqualTo("messages has 2049 items, over the server's sample.limits.max-messages of 2048:"
                        + " send fewer, or raise that setting");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"texts", "token arrays"})
    void moreEmbeddingItemsThanTheLimitIsA400NamingTheSetting(String items) {
        Object item = items.equals("texts") ? "x" : List.of(1);
        Map<String, Object> body = Map.of("model", "text-embedding-3-small", "input", Collections.nCopies(2_049, item));

        EntityExchangeResult<String> result = this.endpoint.post(SampleEndpoint.EMBEDDINGS, body);

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode error = SampleEndpoint.error(result);
        assertThat(error.path("param").asString()).isEqualTo("input");
        assertThat(error.path("message").asString()).contains("sample.limits.max-input-items of 2048");
    }

    @Test
    void stringLongerThanTheLimitIsA400NamingTheSetting() {
        Map<String, Object> body = SampleEndpoint.chat("gpt-4o-mini", "x".repeat(1_000_001));

        EntityExchangeResult<String> result = this.endpoint.post(SampleEndpoint.CHAT, body);

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(SampleEndpoint.error(result).path("message").asString())
                .contains("longer than 1000000 characters")
                .contains("sample.limits.max-string-length");
    }

    @Test
    void bodyLargerThanTheLimitIsA413NamingTheSetting() {
        Map<String, Object> body = new LinkedHashMap<>(SampleEndpoint.chat("gpt-4o-mini", "Big"));
        body.put("metadata", Collections.nCopies(5, "x".repeat(1_000_000)));

        EntityExchangeResult<String> result = this.endpoint.post(SampleEndpoint.CHAT, body);

        assertThat(result.getStatus()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(SampleEndpoint.error(result).path("message").asString())
                .isEqualTo("the request body is larger than 4MB, the server's sample.limits.max-body-size:"
                        + " send less, or raise that setting");
    }

    @Test
    void numberBeyondADoubleIsA400NamingItsField() {
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                + "\"metadata\":{\"scores\":[1, 1e309]}}";

        EntityExchangeResult<String> result = this.endpoint.post(SampleEndpoint.CHAT, bytes(body));

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(SampleEndpoint.error(result).path("param").asString()).isEqualTo("metadata.scores[1]");
    }

    @Test
    void dimensionsBeyondAnyEmbeddingModelAreA400NamingDimensions() {
        Map<String, Object> body = Map.of("model", "text-embedding-3-small", "input", "x", "dimensions", 2_000_000_000);

        EntityExchangeResult<String> result = this.endpoint.post(SampleEndpoint.EMBEDDINGS, body);

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(SampleEndpoint.error(result).path("param").asString()).isEqualTo("dimensions");
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
