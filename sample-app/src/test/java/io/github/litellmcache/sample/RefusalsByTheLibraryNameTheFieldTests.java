package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/**
 * Bodies the request readers let through but the library refuses when the request is built or routed.
 * The HTTP client must get what the readers give for any other invalid field: a 400 whose
 * {@code param} names the field, with advice for an HTTP client, never the library's advice to Java
 * callers ({@code request.builder()...}) nor a limit that does not apply to it.
 */
class RefusalsByTheLibraryNameTheFieldTests extends SampleApplicationOnProviderFake {

    private SampleEndpoint endpoint;

    @BeforeEach
    void connect() {
        this.endpoint = new SampleEndpoint(this.port);
    }

    @Test
    void anAzureModelWithoutAzureConfiguredIsRefusedNamingModelWithoutAdviceForJavaCallers() {
        EntityExchangeResult<String> result =
                this.endpoint.post(SampleEndpoint.CHAT, SampleEndpoint.chat("azure/my-deployment", "Hi"));

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode error = SampleEndpoint.error(result);
        assertThat(error.path("message").asString()).doesNotContain("builder()");
        assertThat(error.path("param").asString()).isEqualTo("model");
    }

    @Test
    void aTopLevelFieldWithABlankNameIsRefusedAsAFieldOfTheRequestBody() {
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"\":1}";

        EntityExchangeResult<String> result =
                this.endpoint.post(SampleEndpoint.CHAT, body.getBytes(StandardCharsets.UTF_8));

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(SampleEndpoint.error(result).path("message").asString())
                .doesNotContain("param name")
                .contains("request body");
    }

    @Test
    void aNamespaceHoldingAColonIsRefusedNamingCacheNamespace() {
        EntityExchangeResult<String> result =
                this.endpoint.post(SampleEndpoint.CHAT, inNamespace("team:a"), "sk-alice");

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(SampleEndpoint.error(result).path("param").asString()).isEqualTo("cache.namespace");
    }

    @Test
    void aNamespaceOverTheStoresLimitIsToldTheRoomThatTheCallersKeyLeaves() {
        EntityExchangeResult<String> result =
                this.endpoint.post(SampleEndpoint.CHAT, inNamespace("n".repeat(65)), "sk-alice");

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode error = SampleEndpoint.error(result);
        assertThat(error.path("message").asString()).contains("use at most 43");
        assertThat(error.path("param").asString()).isEqualTo("cache.namespace");
    }

    private static Map<String, Object> inNamespace(String namespace) {
        Map<String, Object> body =
                new LinkedHashMap<>(SampleEndpoint.chat("gpt-4o-mini", "Namespaced " + UUID.randomUUID()));
        body.put("cache", Map.of("namespace", namespace));
        return body;
    }
}
