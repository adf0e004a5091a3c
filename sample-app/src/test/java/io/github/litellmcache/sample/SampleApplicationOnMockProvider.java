package io.github.litellmcache.sample;

import static io.github.litellmcache.sample.SampleClients.web;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The sample application on a random {@link #port}, answered by its built-in mock provider (20 ms a call), and for
 * each test a {@link #client} of it and its OpenAI {@link #endpoint}. A subclass adds properties with
 * {@code @TestPropertySource}.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"litellm.mock.enabled=true", "litellm.mock.latency=20ms"})
abstract class SampleApplicationOnMockProvider {

    @LocalServerPort
    int port;

    WebTestClient client;

    SampleEndpoint endpoint;

    @BeforeEach
    void connect() {
        this.client = web(this.port);
        this.endpoint = new SampleEndpoint(this.port);
    }
}
