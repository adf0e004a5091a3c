package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.Usage;
import io.github.litellmcache.completion.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CacheEntryCodecTests {

    private final CacheEntryCodec codec = new CacheEntryCodec();

    private final Instant storedAt = Instant.ofEpochMilli(1_732_611_234_123L);

    @Test
    void chatCompletionRoundTrips() {
        ChatCompletion completion = new ChatCompletion(
                "chatcmpl-1",
                1_700_000_000L,
                "gpt-4o-mini",
                List.of(new ChatCompletion.Choice(0, ChatMessage.assistant("Paris"), "stop")),
                new Usage(9, 1, 10),
                "fp_1");
        CacheEntry decoded = this.codec.decode(this.codec.encode(new CacheEntry(completion, this.storedAt)));
        assertThat(decoded.response()).isEqualTo(completion);
        assertThat(decoded.storedAt()).isEqualTo(this.storedAt);
    }

    @Test
    void embeddingResponseRoundTrips() {
        EmbeddingResponse response = new EmbeddingResponse(
                List.of(new EmbeddingResponse.Embedding(0, new float[] {1.5f, -2f})), "e", new Usage(2, 0, 2));
        assertThat(this.codec
                        .decode(this.codec.encode(new CacheEntry(response, this.storedAt)))
                        .response())
                .isEqualTo(response);
    }

    @Test
    void envelopeNamesItsFormatFirstAndTheResponseLast() {
        String json = new String(
                this.codec.encode(new CacheEntry(
                        new EmbeddingResponse(List.of(new EmbeddingResponse.Embedding(0, new float[] {1f})), "e", null),
                        this.storedAt)),
                StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"format\":2,\"stored_at\":1732611234123,\"type\":\"embedding\",\"response\":{");
    }

    @Test
    void entryKeptPastItsTtlRoundTripsWhenItStopsBeingFresh() {
        Instant freshUntil = this.storedAt.plusSeconds(600);
        EmbeddingResponse response = new EmbeddingResponse(
                List.of(new EmbeddingResponse.Embedding(0, new float[] {1f})), "e", new Usage(1, 0, 1));
        CacheEntry entry = new CacheEntry(response, this.storedAt).withFreshUntil(freshUntil);

        CacheEntry decoded = this.codec.decode(this.codec.encode(entry));

        assertThat(decoded.freshUntil()).isEqualTo(freshUntil);
        assertThat(decoded.isStaleAt(freshUntil.minusMillis(1))).isFalse();
        assertThat(decoded.isStaleAt(freshUntil)).isTrue();
    }

    @Test
    void formatTwoEntryWithoutAFreshnessDeadlineStillReadsAndIsNeverStale() {
        String formatTwo = "{\"format\":2,\"stored_at\":1,\"type\":\"chat.completion\",\"response\":{\"id\":\"x\","
                + "\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"Paris\"},\"finish_reason\":\"stop\"}],\"object\":\"chat.completion\"}}";

        CacheEntry decoded = this.codec.decode(formatTwo.getBytes(StandardCharsets.UTF_8));

        assertThat(decoded.freshUntil()).isNull();
        assertThat(decoded.isStaleAt(Instant.MAX)).isFalse();
    }

    @Test
    void entryOfThePreviousFormatDecodesToAMiss() {
        String formatOne = "{\"format\":1,\"stored_at\":1,\"type\":\"chat.completion\",\"response\":{\"id\":\"x\","
                + "\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"Paris\"},\"finish_reason\":\"stop\"}],\"object\":\"chat.completion\"}}";
        assertThat(this.codec.decode(formatOne.getBytes(StandardCharsets.UTF_8)))
                .isNull();
    }

    @Test
    void unmodelledFieldsAtEveryLevelRoundTripInOrder() {
        String response = "{\"id\":\"x\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"Paris\",\"refusal\":null,"
                + "\"reasoning_content\":\"Think.\",\"annotations\":[]},\"logprobs\":{\"content\":[]},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,"
                + "\"total_tokens\":2,\"prompt_tokens_details\":{\"cached_tokens\":1}},"
                + "\"service_tier\":\"default\",\"z_last\":{\"b\":1,\"a\":[null]}}";
        ChatCompletion completion = WireFormat.jsonMapper().readValue(response, ChatCompletion.class);

        CacheEntry decoded = this.codec.decode(this.codec.encode(new CacheEntry(completion, this.storedAt)));

        assertThat(decoded.response()).isEqualTo(completion);
        ChatCompletion read = (ChatCompletion) decoded.response();
        assertThat(read.extraFields().keySet()).containsExactly("service_tier", "z_last");
        assertThat(read.choices().get(0).message().extraFields().keySet())
                .containsExactly("refusal", "reasoning_content", "annotations");
        assertThat(read.usage().cachedTokens()).isEqualTo(1L);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "garbage",
                "[1,2]",
                "{\"format\":3,\"stored_at\":1,\"type\":\"chat.completion\",\"response\":{\"id\":\"x\"}}",
                "{\"format\":2,\"type\":\"chat.completion\",\"response\":{\"id\":\"x\"}}",
                "{\"format\":2,\"stored_at\":1,\"type\":\"image\",\"response\":{\"id\":\"x\"}}",
                "{\"format\":2,\"stored_at\":1,\"response\":{\"id\":\"x\"},\"type\":\"chat.completion\"}",
                "{\"format\":2,\"stored_at\":1,\"type\":\"chat.completion\",\"response\":\"text\"}"
            })
    void valuesThatAreNotOurEnvelopeDecodeToNull(String value) {
        assertThat(this.codec.decode(value.getBytes(StandardCharsets.UTF_8))).isNull();
    }
}
