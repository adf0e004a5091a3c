package io.github.litellmcache.cache.engine;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionChunks;
import io.github.litellmcache.completion.WireFormat;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a provider's stream makes up, gathered as its chunks pass: the completion they carry, put
 * together as they arrive, for the call's report; and the chunks themselves, to be stored, only while
 * their JSON stays within {@code maxBytes}. Past it they are let go and the stream is not stored, so
 * that a long stream holds no more than that for the cache.
 */
final class StreamRecording {

    private final ChatCompletionChunks.Assembly assembly = new ChatCompletionChunks.Assembly();

    private final long maxBytes;

    private @Nullable List<ChatCompletionChunk> chunks;

    private long bytes;

    /** A recording that keeps chunks within {@code maxBytes}; none with 0. */
    StreamRecording(long maxBytes) {
        this.maxBytes = maxBytes;
        this.chunks = (maxBytes > 0) ? new ArrayList<>() : null;
    }

    void add(ChatCompletionChunk chunk) {
        this.assembly.add(chunk);
        if (this.chunks != null) {
            this.bytes += WireFormat.jsonMapper().writeValueAsBytes(chunk).length;
            if (this.bytes > this.maxBytes) {
                this.chunks = null;
            } else {
                this.chunks.add(chunk);
            }
        }
    }

    /** The completion the chunks so far carry, or null when none came. */
    @Nullable
    ChatCompletion completion() {
        return this.assembly.isEmpty() ? null : this.assembly.completion();
    }

    /** The chunks, when they are a whole answer within the bound: what can be stored; else null. */
    @Nullable
    List<ChatCompletionChunk> storable() {
        return (this.chunks != null && this.assembly.isComplete()) ? List.copyOf(this.chunks) : null;
    }
}
