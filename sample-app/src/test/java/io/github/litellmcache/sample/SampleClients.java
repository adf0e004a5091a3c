package io.github.litellmcache.sample;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;

/** Clients of the sample application listening on a local port, and the requests the tests send it. */
final class SampleClients {

    private SampleClients() {}

    /** A client of the application on {@code port}, waiting up to ten seconds for each answer. */
    static WebTestClient web(int port) {
        return web(port, Duration.ofSeconds(10)).build();
    }

    /**
     * A client of the application on {@code port} that opens a connection for each request. No
     * connection is kept from one request, test or application context to the next, so that one
     * never waits behind a connection the server is done with: once, on a loaded machine, a request
     * sent on a kept connection after a refused {@code DELETE} was not read until the client gave up.
     */
    static WebTestClient.Builder web(int port, Duration responseTimeout) {
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.newConnection()))
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(responseTimeout);
    }

    /** OpenAI's Java client pointed at the application's {@code /v1} on {@code port}, without retries. */
    static OpenAIClient openAi(int port) {
        return openAi(port, "sk-test");
    }

    /** As {@link #openAi(int)}, sending {@code apiKey} as its bearer token. */
    static OpenAIClient openAi(int port, String apiKey) {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://localhost:" + port + "/v1")
                .apiKey(apiKey)
                .maxRetries(0)
                .build();
    }

    /** {@code body} posted as JSON to {@code path}, with the answer read as text. */
    static EntityExchangeResult<String> post(WebTestClient client, String path, Object body) {
        return client.post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectBody(String.class)
                .returnResult();
    }

    /** A chat completion request body asking {@code gpt-4o-mini} one user message. */
    static Map<String, Object> chat(String prompt) {
        return Map.of("model", "gpt-4o-mini", "messages", List.of(Map.of("role", "user", "content", prompt)));
    }

    /** The {@code x-litellm-cache-hit} header of an answer. */
    static String cacheHit(EntityExchangeResult<String> result) {
        return result.getResponseHeaders().getFirst("x-litellm-cache-hit");
    }
}
