package io.github.litellmcache.cache.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.LlmException;
import java.net.ConnectException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which provider failures let a stale entry answer: server errors, no answer at all; never a 4xx or a cancel. */
class ProviderFailuresTests {

    @ParameterizedTest
    @ValueSource(ints = {0, 500, 502, 503, 504})
    void aServerErrorOrNoHttpAnswerIsAnOutage(int status) {
        assertThat(ProviderFailures.isOutage(new LlmException(status, "failed")))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 408, 422, 429})
    void aClientErrorIsNeverAnOutage(int status) {
        assertThat(ProviderFailures.isOutage(new LlmException(status, "refused")))
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 429})
    void theProvidersStatusDecidesWhateverItsCause(int status) {
        assertThat(ProviderFailures.isOutage(new LlmException(status, "refused", new TimeoutException())))
                .isFalse();
    }

    @Test
    void aTimeoutOrConnectionFailureOfAnyProviderIsAnOutageButACancelIsNot() {
        assertThat(ProviderFailures.isOutage(new IllegalStateException(new TimeoutException())))
                .isTrue();
        assertThat(ProviderFailures.isOutage(new ConnectException("Connection refused")))
                .isTrue();
        assertThat(ProviderFailures.isOutage(new CancellationException("the caller cancelled")))
                .isFalse();
        assertThat(ProviderFailures.isOutage(new IllegalArgumentException("unknown model prefix")))
                .isFalse();
    }
}
