package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * A provider whose answer has the status 200 but is not what was asked for: a stream without a single
 * chunk, or a body that is not a chat completion. Whatever it sends, the client gets an OpenAI error
 * that blames the provider (502), never an empty success nor an internal error.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"litellm.mock.enabled=false", "litellm.openai.api-key=test-key", "litellm.cache.type=local"})
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class MalformedProviderAnswersTests {

    private static final MockWebServer provider = new MockWebServer();

    /** What the provider answers every request with, status 200. */
    private static volatile MockResponse answer =
            new MockResponse.Builder().code(200).build();

    @LocalServerPort
    private int port;

    private SampleEndpoint endpoint;

    @AutoClose
    private OpenAIClient client;

    @BeforeAll
    static void startProvider() throws IOException {
        provider.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer;
            }
        });
        provider.start();
    }

    @AfterAll
    static void stopProvider() throws IOException {
        provider.close();
    }

    @DynamicPropertySource
    static void providerAddress(DynamicPropertyRegistry registry) {
        registry.add("litellm.openai.api-base", () -> provider.url("/v1").toString());
    }

    @BeforeEach
    void connect() {
        this.endpoint = new SampleEndpoint(this.port);
        this.client = SampleClients.openAi(this.port);
    }

    private static void provide(String contentType, String body) {
        answer = new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", contentType)
                .body(body)
                .build();
    }

    @Test
    void aProviderStreamThatEndsBeforeItsFirstChunkIsABadGatewayNotAnEmptySuccess() {
        provide("text/event-stream", "data: [DONE]\n\n");

        EntityExchangeResult<String> result =
                this.endpoint.post(SampleEndpoint.CHAT, streamed("Nothing comes " + UUID.randomUUID()));

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(SampleEndpoint.error(result).path("type").asString()).isEqualTo("api_error");
    }

    @Test
    void theSdkIsToldOfAProviderStreamWithoutChunksInsteadOfGettingAnEmptyStream() {
        provide("text/event-stream", "");
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addUserMessage("Nothing at all " + UUID.randomUUID())
                .build();

        assertThatExceptionOfType(InternalServerException.class).isThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream =
                    this.client.chat().completions().createStreaming(params)) {
                stream.stream().toList();
            }
        });
    }

    @Test
    void aProviderStreamCutOffWithoutItsFinishReasonNorDoneIsNotPassedOnAsComplete() {
        provide(
                "text/event-stream",
                "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                        + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"role\":\"assistant\",\"content\":\"The first half\"},\"finish_reason\":null}]}\n\n");

        EntityExchangeResult<String> result =
                this.endpoint.post(SampleEndpoint.CHAT, streamed("Cut off " + UUID.randomUUID()));

        assertThat(result.getResponseBody()).contains("The first half").doesNotContain("[DONE]");
    }

    @Test
    void aNonStreamedAnswerThatIsNotJsonIsABadGatewayNotAnInternalErrorLoggedWithItsStackTrace(CapturedOutput output) {
        provide("text/plain", "Please sign in");

        EntityExchangeResult<String> result = this.endpoint.post(
                SampleEndpoint.CHAT, SampleEndpoint.chat("gpt-4o-mini", "Not JSON " + UUID.randomUUID()));

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(SampleEndpoint.error(result).path("message").asString()).contains("not valid JSON");
        assertThat(output.getOut()).doesNotContain("Unexpected failure of a call");
    }

    @Test
    void aLoginPageInTheProvidersPlaceIsABadGatewayNamingAProxy() {
        provide("text/html", "<html><body>Please sign in</body></html>");

        EntityExchangeResult<String> result = this.endpoint.post(
                SampleEndpoint.CHAT, SampleEndpoint.chat("gpt-4o-mini", "A login page " + UUID.randomUUID()));

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(SampleEndpoint.error(result).path("message").asString())
                .contains("an HTML page")
                .contains("proxy");
    }

    @Test
    void aRedirectOfTheProviderIsABadGatewayNotARedirectOfTheClient() {
        answer = new MockResponse.Builder()
                .code(302)
                .setHeader("Location", provider.url("/elsewhere").toString())
                .build();

        EntityExchangeResult<String> result = this.endpoint.post(
                SampleEndpoint.CHAT, SampleEndpoint.chat("gpt-4o-mini", "Redirected " + UUID.randomUUID()));

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(SampleEndpoint.error(result).path("message").asString()).contains("api-base");
    }

    @Test
    void aNonStreamedAnswerWhoseMessageHasNoRoleIsABadGatewayNotAnInternalError() {
        provide(
                "application/json",
                "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\","
                        + "\"choices\":[{\"index\":0,\"message\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}");

        EntityExchangeResult<String> result = this.endpoint.post(
                SampleEndpoint.CHAT, SampleEndpoint.chat("gpt-4o-mini", "No role " + UUID.randomUUID()));

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(SampleEndpoint.error(result).path("type").asString()).isEqualTo("api_error");
    }

    /** A chat completion request body of one user message, asking for a stream. */
    private static Map<String, Object> streamed(String prompt) {
        Map<String, Object> body = new LinkedHashMap<>(SampleEndpoint.chat("gpt-4o-mini", prompt));
        body.put("stream", true);
        return body;
    }
}
