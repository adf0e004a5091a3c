package io.github.litellmcache.cache;

import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.LlmResponse;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A stored response, when it was stored (for {@code sMaxAge}) and, for a streamed completion, the
 * chunks it arrived in, so that a hit replays them with their original boundaries.
 *
 * @param response the response as the provider gave it (for a stream, the chunks assembled)
 * @param storedAt when it was stored
 * @param chunks the chunks of a streamed completion, or null
 */
public record CacheEntry(
        LlmResponse response, Instant storedAt, @Nullable List<ChatCompletionChunk> chunks) {

    public CacheEntry {
        chunks = (chunks != null) ? List.copyOf(chunks) : null;
    }

    public CacheEntry(LlmResponse response, Instant storedAt) {
        this(response, storedAt, null);
    }
}
