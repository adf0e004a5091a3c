package io.github.litellmcache.sample;

import static io.github.litellmcache.sample.SampleClients.cacheHit;
import static io.github.litellmcache.sample.SampleClients.chat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The sample app with its default configuration, as anyone who reaches its public port sees it: of
 * the Actuator endpoints only health, with no details; neither the metrics (every caller's hits and
 * misses) nor the cache endpoint (where the store is), so the cache can be neither read, switched off
 * nor cleared over HTTP.
 */
@TestPropertySource(properties = "litellm.cache.redis.password=hidden")
class SampleApplicationSafeByDefaultTests extends SampleApplicationOnMockProvider {

    @Test
    void neitherTheCacheEndpointNorTheMetricsAreServedOnThePublicPort() {
        for (String path :
                new String[] {"/actuator/litellmcache", "/actuator/metrics", "/actuator/metrics/litellm.cache.requests"
                }) {
            EntityExchangeResult<String> read = exchange(this.client.get().uri(path));

            assertThat(read.getStatus()).as(path).isEqualTo(HttpStatus.NOT_FOUND);
            assertThat(read.getResponseBody()).as(path).doesNotContain("hidden").doesNotContain("litellm-cache");
        }
    }

    @Test
    void cacheCannotBeSwitchedOffOverThePublicPort() {
        Map<String, Object> request = chat("Switch " + UUID.randomUUID());
        completion(request);

        EntityExchangeResult<String> disable = exchange(this.client
                .post()
                .uri("/actuator/litellmcache")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("enabled", false)));

        assertThat(disable.getStatus().is4xxClientError()).isTrue();
        assertThat(cacheHit(completion(request))).isEqualTo("true");
    }

    @Test
    void cacheCannotBeClearedOverThePublicPort() {
        Map<String, Object> request = chat("Clear " + UUID.randomUUID());
        completion(request);

        EntityExchangeResult<String> clear = exchange(this.client.delete().uri("/actuator/litellmcache"));

        assertThat(clear.getStatus().is4xxClientError()).isTrue();
        assertThat(cacheHit(completion(request))).isEqualTo("true");
    }

    @Test
    void healthShowsTheStatusWithoutDetails() {
        EntityExchangeResult<String> health = exchange(this.client.get().uri("/actuator/health"));

        assertThat(health.getStatus()).isEqualTo(HttpStatus.OK);
        JsonNode body = SampleEndpoint.read(health);
        assertThat(body.path("status").asString()).isEqualTo("UP");
        assertThat(body.has("components")).isFalse();
        assertThat(body.has("details")).isFalse();
    }

    private EntityExchangeResult<String> completion(Map<String, Object> body) {
        return exchange(this.client
                .post()
                .uri("/v1/chat/completions")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body));
    }

    private static EntityExchangeResult<String> exchange(WebTestClient.RequestHeadersSpec<?> request) {
        return request.exchange().expectBody(String.class).returnResult();
    }
}
