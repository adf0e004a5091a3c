package io.github.litellmcache.cache.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.LlmException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Who may share a flight, and which failures are a caller's own. */
class SingleFlightCallerTests {

    private static ChatCompletionRequest request(UnaryOperator<ChatCompletionRequest.Builder> options) {
        return options.apply(
                        ChatCompletionRequest.builder().model("gpt-4o-mini").message(ChatMessage.user("hi")))
                .build();
    }

    @Test
    void theCallerOfARequestIsAHashOfItsCredentialsAndNeverTheSecret() {
        String caller = SingleFlight.caller(request(options -> options.apiKey("sk-very-secret-key")));
        assertThat(caller).hasSize(64).doesNotContain("sk-very-secret-key").doesNotContain("secret");
    }

    @Test
    void callersDifferByKeyBaseOrVersionAndRequestsWithoutAnyAreOneCaller() {
        assertThat(SingleFlight.caller(request(options -> options)))
                .isEqualTo(SingleFlight.caller(request(options -> options.temperature(0.1))));
        assertThat(SingleFlight.caller(request(options -> options.apiKey("sk-a"))))
                .isNotEqualTo(SingleFlight.caller(request(options -> options.apiKey("sk-b"))))
                .isEqualTo(SingleFlight.caller(request(options -> options.apiKey("sk-a"))));
        assertThat(SingleFlight.caller(request(options -> options.apiBase("http://a"))))
                .isNotEqualTo(SingleFlight.caller(request(options -> options.apiVersion("http://a"))));
    }

    @Test
    void callersWhoseValuesHoldAZeroCharacterAreNotMistakenForOneAnother() {
        assertThat(SingleFlight.caller(request(options -> options.apiKey("a\0b").apiBase("c"))))
                .isNotEqualTo(SingleFlight.caller(
                        request(options -> options.apiKey("a").apiBase("b").apiVersion("c\0"))));
    }

    @Test
    void cancellationsTimeoutsAndRefusedCredentialsOrRatesAreTheCallersOwn() {
        assertThat(ProviderFailures.isCallersOwn(new CancellationException())).isTrue();
        assertThat(ProviderFailures.isCallersOwn(new LlmException(0, "slow", new TimeoutException())))
                .isTrue();
        assertThat(ProviderFailures.isCallersOwn(new LlmException(401, "revoked")))
                .isTrue();
        assertThat(ProviderFailures.isCallersOwn(new LlmException(403, "forbidden")))
                .isTrue();
        assertThat(ProviderFailures.isCallersOwn(new LlmException(429, "slow down")))
                .isTrue();
        assertThat(ProviderFailures.isCallersOwn(new LlmException(503, "overloaded")))
                .isFalse();
        assertThat(ProviderFailures.isCallersOwn(new LlmException(400, "bad request")))
                .isFalse();
    }
}
