package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.Usage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Entries for the tests of backends and tiers. */
public final class CacheEntries {

    private CacheEntries() {}

    /** A completion of its own id whose one choice says {@code content}, stored now (to the millisecond, as stores keep it). */
    public static CacheEntry answering(String content) {
        ChatCompletion completion = new ChatCompletion(
                "chatcmpl-" + UUID.randomUUID(),
                1_700_000_000L,
                "gpt-4o-mini",
                List.of(new ChatCompletion.Choice(0, ChatMessage.assistant(content), "stop")),
                new Usage(5, 7, 12),
                null);
        return new CacheEntry(completion, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * A valid envelope one byte over {@link CacheEntryCodec#MAX_ENVELOPE_BYTES}, so that a backend decoding it would
     * answer with it.
     */
    public static byte[] oversizedEnvelope() {
        CacheEntryCodec codec = new CacheEntryCodec();
        int overhead = codec.encode(answering("")).length;
        int bound = (int) CacheEntryCodec.MAX_ENVELOPE_BYTES;
        byte[] envelope = codec.encode(answering("x".repeat(bound + 1 - overhead)));
        assertThat(envelope).hasSize(bound + 1);
        assertThat(codec.decode(envelope)).isNotNull();
        return envelope;
    }
}
