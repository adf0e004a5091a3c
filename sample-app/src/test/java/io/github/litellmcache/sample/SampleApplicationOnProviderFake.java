package io.github.litellmcache.sample;

import io.github.litellmcache.testsupport.OpenAiFake;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample application on a random {@link #port}, with a local cache and mocking off, in front of {@link #provider}:
 * an OpenAI wire-format fake of the test class's own, started before the class and closed after it, with the
 * application (which therefore is never reused by another class). A subclass adds properties with
 * {@code @TestPropertySource}.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"litellm.mock.enabled=false", "litellm.openai.api-key=test-key", "litellm.cache.type=local"})
@DirtiesContext
abstract class SampleApplicationOnProviderFake {

    static OpenAiFake provider;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startProvider() {
        provider = new OpenAiFake();
    }

    @AfterAll
    static void stopProvider() throws IOException {
        provider.close();
    }

    @DynamicPropertySource
    static void fakeProvider(DynamicPropertyRegistry registry) {
        registry.add("litellm.openai.api-base", () -> provider.apiBase());
    }
}
