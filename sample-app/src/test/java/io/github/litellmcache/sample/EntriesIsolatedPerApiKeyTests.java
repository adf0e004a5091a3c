package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * By default each API key has its own cache entries, even in a namespace the clients choose, so that
 * no client reads another's answers or learns what others asked; callers without a key share one
 * anonymous space.
 */
class EntriesIsolatedPerApiKeyTests extends SampleApplicationOnProviderFake {

    private SampleEndpoint endpoint;

    @BeforeEach
    void connect() {
        this.endpoint = new SampleEndpoint(this.port);
    }

    @Test
    void twoApiKeysAskingTheSameQuestionInTheSameNamespaceEachCallTheProvider() {
        Map<String, Object> question = inNamespace("team-a", "Secret plans " + UUID.randomUUID());

        EntityExchangeResult<String> alice = this.endpoint.post(SampleEndpoint.CHAT, question, "sk-alice");
        int afterAlice = provider.requestCount();
        EntityExchangeResult<String> mallory = this.endpoint.post(SampleEndpoint.CHAT, question, "sk-mallory");

        assertThat(alice.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(SampleEndpoint.cacheHit(mallory)).isEqualTo("false");
        assertThat(provider.requestCount()).isEqualTo(afterAlice + 1);
        assertThat(SampleEndpoint.read(mallory).path("id").asString())
                .isNotEqualTo(SampleEndpoint.read(alice).path("id").asString());
    }

    @Test
    void theSameApiKeyIsServedFromItsEntries() {
        Map<String, Object> question = inNamespace("team-a", "Again " + UUID.randomUUID());

        EntityExchangeResult<String> first = this.endpoint.post(SampleEndpoint.CHAT, question, "sk-alice");
        int afterFirst = provider.requestCount();
        EntityExchangeResult<String> second = this.endpoint.post(SampleEndpoint.CHAT, question, "sk-alice");

        assertThat(SampleEndpoint.cacheHit(second)).isEqualTo("true");
        assertThat(provider.requestCount()).isEqualTo(afterFirst);
        assertThat(second.getResponseBody()).isEqualTo(first.getResponseBody());
    }

    @Test
    void aKeyedCallerDoesNotReadTheAnonymousEntriesNorTheOtherWayRound() {
        Map<String, Object> question = SampleEndpoint.chat("gpt-4o-mini", "Anonymous " + UUID.randomUUID());

        this.endpoint.post(SampleEndpoint.CHAT, question);
        EntityExchangeResult<String> keyed = this.endpoint.post(SampleEndpoint.CHAT, question, "sk-alice");
        EntityExchangeResult<String> anonymous = this.endpoint.post(SampleEndpoint.CHAT, question);

        assertThat(SampleEndpoint.cacheHit(keyed)).isEqualTo("false");
        assertThat(SampleEndpoint.cacheHit(anonymous)).isEqualTo("true");
    }

    @Test
    void embeddingsAreIsolatedPerApiKeyToo() {
        Map<String, Object> request =
                Map.of("model", "text-embedding-3-small", "input", "Private " + UUID.randomUUID());

        this.endpoint.post(SampleEndpoint.EMBEDDINGS, request, "sk-alice");
        EntityExchangeResult<String> mallory = this.endpoint.post(SampleEndpoint.EMBEDDINGS, request, "sk-mallory");
        EntityExchangeResult<String> alice = this.endpoint.post(SampleEndpoint.EMBEDDINGS, request, "sk-alice");

        assertThat(SampleEndpoint.cacheHit(mallory)).isEqualTo("false");
        assertThat(SampleEndpoint.cacheHit(alice)).isEqualTo("true");
    }

    @Test
    void aNamespaceSpellingAnotherKeysSpaceStaysWithinTheCallersOwn() throws NoSuchAlgorithmException {
        Map<String, Object> question = inNamespace("team-a", "Secret plans " + UUID.randomUUID());
        this.endpoint.post(SampleEndpoint.CHAT, question, "sk-alice");
        String aliceSpace = "key-"
                + HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256")
                                .digest("sk-alice".getBytes(StandardCharsets.UTF_8)))
                        .substring(0, 16);
        List<String> spelled = List.of(aliceSpace, aliceSpace + ".team-a", "anonymous", "anonymous.team-a");
        int afterAlice = provider.requestCount();

        for (String namespace : spelled) {
            Map<String, Object> body = new LinkedHashMap<>(question);
            body.put("cache", Map.of("namespace", namespace));
            assertThat(SampleEndpoint.cacheHit(this.endpoint.post(SampleEndpoint.CHAT, body, "sk-mallory")))
                    .as("mallory naming %s", namespace)
                    .isEqualTo("false");
            assertThat(SampleEndpoint.cacheHit(this.endpoint.post(SampleEndpoint.CHAT, body)))
                    .as("a caller without a key naming %s", namespace)
                    .isEqualTo("false");
        }
        assertThat(provider.requestCount()).isEqualTo(afterAlice + 2 * spelled.size());
        assertThat(SampleEndpoint.cacheHit(this.endpoint.post(SampleEndpoint.CHAT, question, "sk-alice")))
                .isEqualTo("true");
    }

    @Test
    void namespaceLongerThanWhatTheKeysHashLeavesIsRefusedNamingTheRoom() {
        EntityExchangeResult<String> result =
                this.endpoint.post(SampleEndpoint.CHAT, inNamespace("n".repeat(44), "Long"), "sk-alice");

        assertThat(result.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(SampleEndpoint.error(result).path("message").asString())
                .isEqualTo("cache.namespace has 44 characters: use at most 43 (the rest of the 64 holds the hash"
                        + " of your API key), such as team-a");
    }

    @Test
    void noResponseOrErrorCarriesTheApiKey() {
        EntityExchangeResult<String> answer =
                this.endpoint.post(SampleEndpoint.CHAT, inNamespace("team-a", "Key " + UUID.randomUUID()), "sk-alice");
        EntityExchangeResult<String> refused =
                this.endpoint.post(SampleEndpoint.CHAT, inNamespace("bad:name", "Key"), "sk-alice");

        assertThat(refused.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(answer.getResponseBody() + answer.getResponseHeaders() + refused.getResponseBody())
                .doesNotContain("sk-alice");
    }

    static Map<String, Object> inNamespace(String namespace, String prompt) {
        Map<String, Object> body = new LinkedHashMap<>(SampleEndpoint.chat("gpt-4o-mini", prompt));
        body.put("cache", Map.of("namespace", namespace));
        return body;
    }
}
