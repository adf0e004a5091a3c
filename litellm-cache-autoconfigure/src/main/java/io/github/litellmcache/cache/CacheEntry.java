package io.github.litellmcache.cache;

import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.LlmResponse;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A stored response, when it was stored (for {@code sMaxAge}), until when it is fresh (for
 * {@code staleIfError}) and, for a streamed completion, the chunks it arrived in, so that a hit
 * replays them with their original boundaries.
 *
 * @param response the response as the provider gave it (for a stream, the chunks assembled)
 * @param storedAt when it was stored
 * @param chunks the chunks of a streamed completion, or null
 * @param freshUntil when its TTL ends, for an entry kept past it ({@code staleIfError}) or read from a store
 *     that knows when it drops it (S3, Redis); null when it has none, or the store drops it exactly at the end of its
 *     TTL (in-process)
 */
public record CacheEntry(
        LlmResponse response,
        Instant storedAt,
        @Nullable List<ChatCompletionChunk> chunks,
        @Nullable Instant freshUntil) {

    public CacheEntry {
        chunks = (chunks != null) ? List.copyOf(chunks) : null;
    }

    public CacheEntry(LlmResponse response, Instant storedAt, @Nullable List<ChatCompletionChunk> chunks) {
        this(response, storedAt, chunks, null);
    }

    public CacheEntry(LlmResponse response, Instant storedAt) {
        this(response, storedAt, null, null);
    }

    /** This entry, fresh until {@code freshUntil} and stale after it. */
    public CacheEntry withFreshUntil(@Nullable Instant freshUntil) {
        return new CacheEntry(this.response, this.storedAt, this.chunks, freshUntil);
    }

    /**
     * Whether this is a stream stored without a usage chunk (asked without
     * {@code stream_options.include_usage}): known from its assembled response, without a look at its chunks.
     */
    public boolean isStreamWithoutUsage() {
        return this.chunks != null && this.response.usage() == null;
    }

    /** Whether the entry's TTL has ended at {@code now}, for an entry kept past it. */
    public boolean isStaleAt(Instant now) {
        return this.freshUntil != null && !now.isBefore(this.freshUntil);
    }
}
