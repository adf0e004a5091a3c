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
 * their JSON stays within {@code maxBytes} and none carries a tool call. Past that they are let go,
 * so that a long stream holds no more than {@code maxBytes} for the cache, and the recording says at
 * once that the stream will not be stored.
 */
final class StreamRecording {

    private final ChatCompletionChunks.Assembly assembly = new ChatCompletionChunks.Assembly();

    private final long maxBytes;

    private final Runnable unstorable;

    private @Nullable List<ChatCompletionChunk> chunks;

    private long bytes;

    /**
     * A recording that keeps chunks within {@code maxBytes} and runs {@code unstorable} when it lets
     * them go.
     */
    StreamRecording(long maxBytes, Runnable unstorable) {
        this.maxBytes = maxBytes;
        this.unstorable = unstorable;
        this.chunks = new ArrayList<>();
    }

    /** A recording of the completion alone, for the report of a stream that is never stored. */
    static StreamRecording completionOnly() {
        StreamRecording recording = new StreamRecording(0, () -> {});
        recording.chunks = null;
        return recording;
    }

    void add(ChatCompletionChunk chunk) {
        this.assembly.add(chunk);
        if (this.chunks == null) {
            return;
        }
        this.bytes += WireFormat.jsonMapper().writeValueAsBytes(chunk).length;
        if (this.bytes > this.maxBytes || this.assembly.hasToolCalls()) {
            this.chunks = null;
            this.unstorable.run();
        } else {
            this.chunks.add(chunk);
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
