package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The sample application with the real provider client pointed at a local port where nothing listens. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"litellm.mock.enabled=false", "litellm.openai.api-key=test-key"})
class SampleApplicationProviderErrorTests {

    @LocalServerPort
    private int port;

    private static int closedPort;

    @DynamicPropertySource
    static void unreachableProvider(DynamicPropertyRegistry registry) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        registry.add("litellm.openai.api-base", () -> "http://127.0.0.1:" + closedPort + "/v1");
    }

    @Test
    void unreachableProviderIsABadGatewayWithAnOpenAiErrorAndIsNotCached() {
        Map<String, Object> request =
                Map.of("model", "gpt-4o-mini", "messages", List.of(Map.of("role", "user", "content", "Hi")));

        EntityExchangeResult<String> first = post(request);
        EntityExchangeResult<String> second = post(request);

        assertThat(first.getStatus()).isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(second.getStatus()).isEqualTo(HttpStatus.BAD_GATEWAY);
        JsonNode error =
                JsonMapper.builder().build().readTree(first.getResponseBody()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("api_error");
        assertThat(error.path("message").asString()).contains("could not reach").doesNotContain("test-key");
    }

    @Test
    void badGatewayBodyCarriesNoAddressOfTheProvider() {
        Map<String, Object> request =
                Map.of("model", "gpt-4o-mini", "messages", List.of(Map.of("role", "user", "content", "Where?")));

        EntityExchangeResult<String> result = post(request);

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(result.getResponseBody())
                .contains("could not reach openai")
                .doesNotContain("127.0.0.1")
                .doesNotContain(":" + closedPort)
                .doesNotContain("http:")
                .doesNotContainPattern("[A-Za-z]+Exception");
    }

    private EntityExchangeResult<String> post(Map<String, Object> body) {
        return SampleClients.post(SampleClients.web(this.port), "/v1/chat/completions", body);
    }
}
