package io.github.litellmcache.completion;

import java.util.HashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * How one provider stream ended, followed as its events pass: whether it sent {@code [DONE]}, and
 * which of the choices it sent have their {@code finish_reason}. A stream is complete when it sent a
 * chunk and then {@code [DONE]}, or, without {@code [DONE]} (which some OpenAI-compatible servers
 * omit), when it sent a choice and every choice it sent has finished. One instance follows one subscription.
 */
final class StreamEnding {

    private static final String DONE = "[DONE]";

    private final String provider;

    private boolean done;

    private boolean anyChunk;

    /** Whether each choice sent, by its index, has had its finish reason. */
    private final Map<Integer, Boolean> finished = new HashMap<>();

    StreamEnding(String provider) {
        this.provider = provider;
    }

    /** Whether the event {@code data} is a chunk rather than {@code [DONE]}, which ends the stream. */
    boolean isChunk(String data) {
        this.done = data.equals(DONE);
        return !this.done;
    }

    /** {@code chunk}, its choices' finish reasons noted. */
    ChatCompletionChunk passing(ChatCompletionChunk chunk) {
        this.anyChunk = true;
        chunk.choices()
                .forEach(choice ->
                        this.finished.merge(choice.index(), choice.finishReason() != null, Boolean::logicalOr));
        return chunk;
    }

    /** Nothing when the stream is complete, else the {@link LlmException} that says how it ended. */
    <T> Mono<T> verdict() {
        if (!this.anyChunk) {
            return Mono.error(new LlmException(0, this.provider + " ended its stream before its first chunk"));
        }
        if (!this.done && (this.finished.isEmpty() || this.finished.containsValue(false))) {
            return Mono.error(new LlmException(
                    0,
                    this.provider + " closed its stream before a finish_reason and before its end event:"
                            + " the answer is cut off"));
        }
        return Mono.empty();
    }
}
