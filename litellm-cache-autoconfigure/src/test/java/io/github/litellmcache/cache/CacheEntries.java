package io.github.litellmcache.cache;

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
}
