package io.github.litellmcache.completion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Converts between a streamed completion and a whole one: the chunks of a stream assembled into a
 * {@link ChatCompletion}, and a completion split into the chunks a stream of it would have carried.
 * Fields the types do not model flow both ways: a delta's go to the message, a chunk choice's to the
 * choice, a chunk's to the completion, and back.
 */
public final class ChatCompletionChunks {

    /** Delta fields streamed in pieces, like {@code content}; any other field's last value is the message's. */
    private static final Set<String> TEXT_FIELDS = Set.of("reasoning_content", "reasoning", "refusal");

    private static final String LOGPROBS = "logprobs";

    private static final String SYSTEM_FINGERPRINT = "system_fingerprint";

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

    /**
     * The completion that {@code chunks} carry: per choice, the role, the concatenated content,
     * reasoning and refusal, the other delta fields' last values, the concatenated {@code logprobs}
     * and the finish reason; the last usage; the chunks' own fields' last values, with
     * {@code system_fingerprint} as the completion's.
     */
    public static ChatCompletion assemble(List<ChatCompletionChunk> chunks) {
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("chunks must not be empty");
        }
        ChatCompletionChunk first = chunks.get(0);
        Map<Integer, ChoiceBuilder> choices = new TreeMap<>();
        Map<String, Object> fields = new LinkedHashMap<>();
        Usage usage = null;
        for (ChatCompletionChunk chunk : chunks) {
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                choices.computeIfAbsent(choice.index(), index -> new ChoiceBuilder())
                        .add(choice);
            }
            if (chunk.usage() != null) {
                usage = chunk.usage();
            }
            chunk.extraFields().forEach((name, value) -> put(fields, name, value, ChatCompletionChunks::latest));
        }
        List<ChatCompletion.Choice> assembled = new ArrayList<>();
        choices.forEach((index, choice) -> assembled.add(choice.build(index)));
        Object fingerprint = fields.remove(SYSTEM_FINGERPRINT);
        return new ChatCompletion(
                first.id(),
                first.created(),
                (first.model() != null) ? first.model() : "",
                assembled,
                usage,
                (fingerprint instanceof String text) ? text : null,
                fields);
    }

    /**
     * The chunks of {@code completion}, as a provider streams them: for each choice a chunk with the
     * role, one with the content, the message's and the choice's other fields, and one with the
     * finish reason; the last chunk carries the usage, and every chunk the completion's own fields.
     */
    public static List<ChatCompletionChunk> split(ChatCompletion completion) {
        Map<String, Object> fields = new LinkedHashMap<>(completion.extraFields());
        if (completion.systemFingerprint() != null) {
            fields.put(SYSTEM_FINGERPRINT, completion.systemFingerprint());
        }
        Map<String, Object> chunkFields = ExtraFields.of(fields);
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        List<ChatCompletion.Choice> choices = completion.choices();
        for (int i = 0; i < choices.size(); i++) {
            ChatCompletion.Choice choice = choices.get(i);
            ChatMessage message = choice.message();
            String content = message.content();
            chunks.add(chunk(
                    completion,
                    chunkFields,
                    new ChatCompletionChunk.Choice(
                            choice.index(),
                            new ChatCompletionChunk.Delta(message.role(), (content != null) ? "" : null),
                            null),
                    null));
            boolean hasContent = content != null && !content.isEmpty();
            if (hasContent
                    || !message.extraFields().isEmpty()
                    || !choice.extraFields().isEmpty()) {
                ChatCompletionChunk.Delta delta =
                        new ChatCompletionChunk.Delta(null, hasContent ? content : null, null, message.extraFields());
                chunks.add(chunk(
                        completion,
                        chunkFields,
                        new ChatCompletionChunk.Choice(choice.index(), delta, null, choice.extraFields()),
                        null));
            }
            Usage usage = (i == choices.size() - 1) ? completion.usage() : null;
            chunks.add(chunk(
                    completion,
                    chunkFields,
                    new ChatCompletionChunk.Choice(
                            choice.index(), new ChatCompletionChunk.Delta(null, null), choice.finishReason()),
                    usage));
        }
        return chunks;
    }

    private static ChatCompletionChunk chunk(
            ChatCompletion completion,
            Map<String, Object> fields,
            ChatCompletionChunk.Choice choice,
            @Nullable Usage usage) {
        return new ChatCompletionChunk(
                completion.id(), completion.created(), completion.model(), List.of(choice), usage, fields, false);
    }

    /** The later value, unless it is null: a field sent with a value and then as null keeps the value. */
    private static @Nullable Object latest(String name, @Nullable Object earlier, @Nullable Object later) {
        return (later != null) ? later : earlier;
    }

    /** A piece of a text field appended to the text so far; any other field's latest value. */
    private static @Nullable Object appended(String name, @Nullable Object earlier, @Nullable Object later) {
        if (TEXT_FIELDS.contains(name) && earlier instanceof String text && later instanceof String piece) {
            return text + piece;
        }
        return latest(name, earlier, later);
    }

    /**
     * For {@code logprobs}, the token lists ({@code content}, {@code refusal}) of two chunks
     * concatenated; for any other choice field, the latest value.
     */
    @SuppressWarnings("unchecked")
    private static @Nullable Object logprobs(String name, @Nullable Object earlier, @Nullable Object later) {
        if (!LOGPROBS.equals(name) || !(earlier instanceof Map<?, ?> before) || !(later instanceof Map<?, ?> after)) {
            return latest(name, earlier, later);
        }
        Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) before);
        ((Map<String, Object>) after).forEach((list, value) -> put(merged, list, value, ChatCompletionChunks::joined));
        return merged;
    }

    private static @Nullable Object joined(String name, @Nullable Object earlier, @Nullable Object later) {
        if (earlier instanceof List<?> first && later instanceof List<?> second) {
            List<Object> both = new ArrayList<>(first);
            both.addAll(second);
            return both;
        }
        return latest(name, earlier, later);
    }

    /** Puts {@code value} under {@code name}, keeping a null when the field has no value yet. */
    private static void put(Map<String, Object> fields, String name, @Nullable Object value, MergeFunction merge) {
        if (!fields.containsKey(name)) {
            fields.put(name, value);
        } else {
            fields.put(name, merge.apply(name, fields.get(name), value));
        }
    }

    @FunctionalInterface
    private interface MergeFunction {
        @Nullable
        Object apply(String name, @Nullable Object earlier, @Nullable Object later);
    }

    /** One choice's deltas, put together. */
    private static final class ChoiceBuilder {

        private String role = "assistant";
        private @Nullable StringBuilder content;
        private final Map<String, Object> messageFields = new LinkedHashMap<>();
        private final Map<String, Object> choiceFields = new LinkedHashMap<>();
        private @Nullable String finishReason;

        void add(ChatCompletionChunk.Choice choice) {
            ChatCompletionChunk.Delta delta = choice.delta();
            if (delta != null) {
                if (delta.role() != null) {
                    this.role = delta.role();
                }
                if (delta.content() != null) {
                    if (this.content == null) {
                        this.content = new StringBuilder();
                    }
                    this.content.append(delta.content());
                }
                delta.extraFields()
                        .forEach((name, value) -> put(this.messageFields, name, value, ChatCompletionChunks::appended));
            }
            choice.extraFields()
                    .forEach((name, value) -> put(this.choiceFields, name, value, ChatCompletionChunks::logprobs));
            if (choice.finishReason() != null) {
                this.finishReason = choice.finishReason();
            }
        }

        ChatCompletion.Choice build(int index) {
            ChatMessage message = ChatMessage.of(this.role, (this.content != null) ? this.content.toString() : null)
                    .withExtraFields(this.messageFields);
            return new ChatCompletion.Choice(index, message, this.finishReason, this.choiceFields);
        }
    }
}
