package io.github.litellmcache.completion;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The built-in provider client, without the cache, on a provider whose every answer a test scripts: an OpenAI API at
 * a {@link MockWebServer}'s {@code /v1}.
 */
abstract class ProviderOnMockWebServerTests {

    final MockWebServer provider = new MockWebServer();

    ProviderCompletionService service;

    @BeforeEach
    void startProvider() throws IOException {
        this.provider.start();
        this.service = new ProviderCompletionService(
                WebClient.create(),
                new ProviderRouter(
                        new ProviderEndpoint(this.provider.url("/v1").toString(), "sk-test-key", null),
                        new ProviderEndpoint(null, null, null)),
                new MockProvider(Duration.ZERO, Clock.systemUTC()),
                false,
                WireFormat.jsonMapper(),
                Duration.ofMinutes(1));
    }

    @AfterEach
    void stopProvider() throws IOException {
        this.provider.close();
    }
}
