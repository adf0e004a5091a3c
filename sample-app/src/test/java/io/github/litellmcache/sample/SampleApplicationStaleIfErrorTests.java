package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * With {@code litellm.cache.stale-if-error}, an answer past its TTL that stands in for a failing provider is marked
 * {@code x-litellm-cache-stale: true}; a fresh one carries no such header.
 */
@TestPropertySource(properties = {"litellm.cache.ttl=200ms", "litellm.cache.stale-if-error=1h"})
class SampleApplicationStaleIfErrorTests extends SampleApplicationOnProviderFake {

    private static final String CACHE_STALE = "x-litellm-cache-stale";

    @AfterEach
    void providerBack() {
        provider.succeed();
    }

    @Test
    void anAnswerPastItsTtlGivenWhileTheProviderFailsIsMarkedStale() throws InterruptedException {
        Map<String, Object> question = SampleClients.chat("Stale question " + UUID.randomUUID());
        EntityExchangeResult<String> first = post(question);
        Thread.sleep(400);
        provider.fail(503, "{\"error\":{\"message\":\"overloaded\"}}");

        EntityExchangeResult<String> stale = post(question);

        assertThat(first.getResponseHeaders().getFirst(CACHE_STALE)).isNull();
        assertThat(stale.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(SampleClients.cacheHit(stale)).isEqualTo("true");
        assertThat(stale.getResponseHeaders().getFirst(CACHE_STALE)).isEqualTo("true");
        assertThat(SampleEndpoint.read(stale).path("id").asString())
                .isEqualTo(SampleEndpoint.read(first).path("id").asString());
    }

    @Test
    void aRequestsOwnStaleIfErrorOfZeroGetsTheProvidersError() throws InterruptedException {
        String prompt = "Not stale for me " + UUID.randomUUID();
        post(SampleClients.chat(prompt));
        Thread.sleep(400);
        provider.fail(503, "{\"error\":{\"message\":\"overloaded\"}}");
        Map<String, Object> strict = new LinkedHashMap<>(SampleClients.chat(prompt));
        strict.put("cache", Map.of("stale-if-error", 0));

        EntityExchangeResult<String> failed = post(strict);

        assertThat(failed.getStatus().is5xxServerError())
                .as("the provider's error, not a refused option: %s", failed.getResponseBody())
                .isTrue();
        assertThat(failed.getResponseHeaders().getFirst(CACHE_STALE)).isNull();
    }

    private EntityExchangeResult<String> post(Map<String, Object> body) {
        return SampleClients.post(SampleClients.web(this.port), SampleEndpoint.CHAT, body);
    }
}
