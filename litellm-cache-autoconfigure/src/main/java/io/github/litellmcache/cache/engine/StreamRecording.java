package io.github.litellmcache.cache.engine;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionChunks;
import io.github.litellmcache.completion.RetainedSize;
import io.github.litellmcache.completion.WireFormat;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a provider's stream makes up, gathered as its chunks pass: the completion they carry, put
 * together as they arrive, for the call's report, {@linkplain ChatCompletionChunks.Assembly#isCut() cut} once it
 * holds more than {@code maxBytes} of heap; and the chunks themselves, to be stored, only while they stay within
 * {@code maxBytes}, each counted as the larger of its JSON and the heap it holds ({@link RetainedSize}), none carries
 * a tool call and the completion is not cut. Past that they are let go, so that
 * the cache keeps no more than about twice {@code maxBytes} of a stream of any length, and the recording says at once
 * that the stream will not be stored.
 */
final class StreamRecording {

    /** Measures each chunk; made once, since a mapper learns each type's serializer on first use. */
    private static final JsonMapper JSON = WireFormat.jsonMapper();

    private final ChatCompletionChunks.Assembly assembly;

    private final long maxBytes;

    private final Runnable unstorable;

    private @Nullable List<ChatCompletionChunk> chunks;

    private long bytes;

    /**
     * A recording that keeps chunks within {@code maxBytes} and runs {@code unstorable} when it lets
     * them go.
     */
    StreamRecording(long maxBytes, Runnable unstorable) {
        this(maxBytes, unstorable, new ArrayList<>());
    }

    private StreamRecording(long maxBytes, Runnable unstorable, @Nullable List<ChatCompletionChunk> chunks) {
        this.assembly = new ChatCompletionChunks.Assembly(maxBytes);
        this.maxBytes = maxBytes;
        this.unstorable = unstorable;
        this.chunks = chunks;
    }

    /**
     * A recording of the completion alone, cut past {@code maxBytes}, for the report of a stream that is never
     * stored.
     */
    static StreamRecording completionOnly(long maxBytes) {
        return new StreamRecording(maxBytes, () -> {}, null);
    }

    void add(ChatCompletionChunk chunk) {
        this.assembly.add(chunk);
        if (this.chunks == null) {
            return;
        }
        if (this.assembly.hasToolCalls() || this.assembly.isCut() || !fits(chunk)) {
            this.chunks = null;
            this.unstorable.run();
        } else {
            this.chunks.add(chunk);
        }
    }

    /**
     * Whether the chunks so far, {@code chunk} included, stay within the bound, as JSON and on the heap; false too
     * when {@code chunk} cannot be written as JSON (a field a custom provider filled with an object
     * Jackson cannot write): then it is passed on, never stored.
     */
    private boolean fits(ChatCompletionChunk chunk) {
        try {
            long json = JSON.writeValueAsBytes(chunk).length;
            this.bytes += Math.max(json, RetainedSize.of(chunk, this.maxBytes));
            return this.bytes <= this.maxBytes;
        } catch (RuntimeException notJson) {
            return false;
        }
    }

    /** Whether the {@linkplain #completion() completion} holds only the texts up to the bound. */
    boolean isCut() {
        return this.assembly.isCut();
    }

    /** The completion the chunks so far carry, cut past the bound, or null when none came. */
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
