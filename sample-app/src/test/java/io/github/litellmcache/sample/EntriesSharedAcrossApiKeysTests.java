package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/** With {@code sample.cache.shared-across-api-keys=true} every caller reads the same entries, whatever its key. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "litellm.mock.enabled=true",
            "litellm.mock.latency=20ms",
            "litellm.cache.type=local",
            "sample.cache.shared-across-api-keys=true"
        })
class EntriesSharedAcrossApiKeysTests {

    @LocalServerPort
    private int port;

    @Test
    void twoApiKeysAskingTheSameQuestionShareOneEntry() {
        SampleEndpoint endpoint = new SampleEndpoint(this.port);
        Map<String, Object> question =
                EntriesIsolatedPerApiKeyTests.inNamespace("team-a", "Shared " + UUID.randomUUID());

        EntityExchangeResult<String> alice = endpoint.post(SampleEndpoint.CHAT, question, "sk-alice");
        EntityExchangeResult<String> bob = endpoint.post(SampleEndpoint.CHAT, question, "sk-bob");
        EntityExchangeResult<String> anonymous = endpoint.post(SampleEndpoint.CHAT, question);

        assertThat(SampleEndpoint.cacheHit(alice)).isEqualTo("false");
        assertThat(SampleEndpoint.cacheHit(bob)).isEqualTo("true");
        assertThat(SampleEndpoint.cacheHit(anonymous)).isEqualTo("true");
        assertThat(bob.getResponseBody()).isEqualTo(alice.getResponseBody());
    }

    @Test
    void theWholeNamespaceLengthIsLeftToTheRequest() {
        EntityExchangeResult<String> result = new SampleEndpoint(this.port)
                .post(SampleEndpoint.CHAT, EntriesIsolatedPerApiKeyTests.inNamespace("n".repeat(64), "Long"), "sk-a");

        assertThat(SampleEndpoint.cacheHit(result)).isEqualTo("false");
    }
}
