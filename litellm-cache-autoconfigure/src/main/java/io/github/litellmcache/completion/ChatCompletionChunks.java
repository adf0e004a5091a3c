package io.github.litellmcache.completion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Converts between a streamed completion and a whole one: the chunks of a stream assembled into a
 * {@link ChatCompletion}, and a completion split into the chunks a stream of it would have carried.
 */
public final class ChatCompletionChunks {

    private ChatCompletionChunks() {}

    /**
     * Whether {@code chunks} are a whole answer that can be stored and replayed: at least one chunk,
     * every choice ended with a finish reason, and no tool calls (whose fragments are passed on but
     * not put together).
     */
    public static boolean isComplete(List<ChatCompletionChunk> chunks) {
        Map<Integer, Boolean> finished = new TreeMap<>();
        for (ChatCompletionChunk chunk : chunks) {
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                if (choice.delta() != null && choice.delta().toolCalls() != null) {
                    return false;
                }
                finished.merge(choice.index(), choice.finishReason() != null, Boolean::logicalOr);
            }
        }
        return !finished.isEmpty() && !finished.containsValue(false);
    }

    /** The completion that {@code chunks} carry: per choice, the role, the concatenated content and the finish reason. */
    public static ChatCompletion assemble(List<ChatCompletionChunk> chunks) {
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("chunks must not be empty");
        }
        ChatCompletionChunk first = chunks.get(0);
        Map<Integer, ChoiceBuilder> choices = new TreeMap<>();
        Usage usage = null;
        for (ChatCompletionChunk chunk : chunks) {
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                choices.computeIfAbsent(choice.index(), index -> new ChoiceBuilder())
                        .add(choice);
            }
            if (chunk.usage() != null) {
                usage = chunk.usage();
            }
        }
        List<ChatCompletion.Choice> assembled = new ArrayList<>();
        choices.forEach((index, choice) -> assembled.add(choice.build(index)));
        return new ChatCompletion(
                first.id(), first.created(), (first.model() != null) ? first.model() : "", assembled, usage, null);
    }

    /**
     * The chunks of {@code completion}, as a provider streams them: for each choice a chunk with the
     * role, one with the content and one with the finish reason; the last chunk carries the usage.
     */
    public static List<ChatCompletionChunk> split(ChatCompletion completion) {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        List<ChatCompletion.Choice> choices = completion.choices();
        for (int i = 0; i < choices.size(); i++) {
            ChatCompletion.Choice choice = choices.get(i);
            String content = choice.message().content();
            chunks.add(chunk(completion, choice.index(), choice.message().role(), "", null, null));
            if (content != null && !content.isEmpty()) {
                chunks.add(chunk(completion, choice.index(), null, content, null, null));
            }
            Usage usage = (i == choices.size() - 1) ? completion.usage() : null;
            chunks.add(chunk(completion, choice.index(), null, null, choice.finishReason(), usage));
        }
        return chunks;
    }

    private static ChatCompletionChunk chunk(
            ChatCompletion completion,
            int index,
            @Nullable String role,
            @Nullable String content,
            @Nullable String finishReason,
            @Nullable Usage usage) {
        ChatCompletionChunk.Delta delta = new ChatCompletionChunk.Delta(role, content);
        return new ChatCompletionChunk(
                completion.id(),
                completion.created(),
                completion.model(),
                List.of(new ChatCompletionChunk.Choice(index, delta, finishReason)),
                usage,
                false);
    }

    /** One choice's deltas, put together. */
    private static final class ChoiceBuilder {

        private String role = "assistant";
        private final StringBuilder content = new StringBuilder();
        private @Nullable String finishReason;

        void add(ChatCompletionChunk.Choice choice) {
            if (choice.delta() != null) {
                if (choice.delta().role() != null) {
                    this.role = choice.delta().role();
                }
                if (choice.delta().content() != null) {
                    this.content.append(choice.delta().content());
                }
            }
            if (choice.finishReason() != null) {
                this.finishReason = choice.finishReason();
            }
        }

        ChatCompletion.Choice build(int index) {
            return new ChatCompletion.Choice(
                    index, ChatMessage.of(this.role, this.content.toString()), this.finishReason);
        }
    }
}
