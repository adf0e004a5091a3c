package io.github.litellmcache.completion;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
        return assembled(chunks).isComplete();
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
        return assembled(chunks).completion();
    }

    /**
     * Whether {@link #assemble} gives all that {@code chunks} carry: no delta field other than the
     * texts comes twice with different values. A field streamed in such pieces (a legacy
     * {@code function_call}'s arguments, {@code audio}'s data) is not put together: the assembled
     * message keeps its last piece only, while a replay of the chunks carries every piece.
     */
    public static boolean assemblesWhole(List<ChatCompletionChunk> chunks) {
        Map<Integer, Map<String, Object>> sent = new HashMap<>();
        for (ChatCompletionChunk chunk : chunks) {
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                if (choice.delta() == null || choice.delta().extraFields().isEmpty()) {
                    continue;
                }
                Map<String, Object> fields = sent.computeIfAbsent(choice.index(), index -> new HashMap<>());
                for (Map.Entry<String, Object> field :
                        choice.delta().extraFields().entrySet()) {
                    Object value = field.getValue();
                    if (value == null || (TEXT_FIELDS.contains(field.getKey()) && value instanceof String)) {
                        continue;
                    }
                    Object earlier = fields.put(field.getKey(), value);
                    if (earlier != null && !earlier.equals(value)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static Assembly assembled(List<ChatCompletionChunk> chunks) {
        Assembly assembly = new Assembly();
        chunks.forEach(assembly::add);
        return assembly;
    }

    /**
     * The chunks of {@code completion}, as OpenAI streams them: for each choice a chunk with the role,
     * one with the content, the message's and the choice's other fields, and one with the finish
     * reason; every chunk carries the completion's own fields. With {@code includeUsage} (a stream
     * asked with {@code stream_options.include_usage}) a last chunk without choices carries the usage;
     * without it, no chunk does.
     */
    public static List<ChatCompletionChunk> split(ChatCompletion completion, boolean includeUsage) {
        Map<String, Object> fields = new LinkedHashMap<>(completion.extraFields());
        if (completion.systemFingerprint() != null) {
            fields.put(SYSTEM_FINGERPRINT, completion.systemFingerprint());
        }
        Map<String, Object> chunkFields = ExtraFields.of(fields);
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        for (ChatCompletion.Choice choice : completion.choices()) {
            ChatMessage message = choice.message();
            String content = message.content();
            chunks.add(chunk(
                    completion,
                    chunkFields,
                    List.of(new ChatCompletionChunk.Choice(
                            choice.index(),
                            new ChatCompletionChunk.Delta(message.role(), (content != null) ? "" : null),
                            null)),
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
                        List.of(new ChatCompletionChunk.Choice(choice.index(), delta, null, choice.extraFields())),
                        null));
            }
            chunks.add(chunk(
                    completion,
                    chunkFields,
                    List.of(new ChatCompletionChunk.Choice(
                            choice.index(), new ChatCompletionChunk.Delta(null, null), choice.finishReason())),
                    null));
        }
        if (includeUsage && completion.usage() != null) {
            chunks.add(chunk(completion, chunkFields, List.of(), completion.usage()));
        }
        return chunks;
    }

    private static ChatCompletionChunk chunk(
            ChatCompletion completion,
            Map<String, Object> fields,
            List<ChatCompletionChunk.Choice> choices,
            @Nullable Usage usage) {
        return new ChatCompletionChunk(
                completion.id(), completion.created(), completion.model(), choices, usage, fields, false);
    }

    /**
     * A streamed completion put together as its chunks arrive, without keeping them: what
     * {@link #assemble} and {@link #isComplete} give for a list of chunks. Each chunk costs time in
     * proportion to its own size, however long the stream: text and {@code logprobs} are appended in
     * place. An assembly made with a bound {@linkplain #isCut() cuts} the completion once what it holds
     * passes that bound (by one chunk at most): later chunks add only their usage and the finish reasons of
     * the choices begun, so that a stream of any length costs no more heap than the bound.
     */
    public static final class Assembly {

        private final Budget budget;
        private boolean cut;
        private @Nullable ChatCompletionChunk first;
        private final Map<Integer, ChoiceBuilder> choices = new TreeMap<>();
        private final Map<String, Object> fields = new LinkedHashMap<>();
        private @Nullable Usage usage;
        private boolean toolCalls;

        /** An assembly of a whole stream, however long. */
        public Assembly() {
            this(Long.MAX_VALUE);
        }

        /**
         * An assembly that cuts the completion once its texts, {@code logprobs}, choices and fields take more than
         * {@code maxBytes} of heap, as {@link RetainedSize} estimates it.
         */
        public Assembly(long maxBytes) {
            this.budget = new Budget(maxBytes);
        }

        /** Adds the next chunk of the stream. */
        public void add(ChatCompletionChunk chunk) {
            if (this.first == null) {
                this.first = chunk;
            }
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                this.toolCalls |= choice.delta() != null && choice.delta().toolCalls() != null;
                if (!this.cut) {
                    this.choices
                            .computeIfAbsent(choice.index(), index -> new ChoiceBuilder(this.budget))
                            .add(choice);
                } else {
                    ChoiceBuilder begun = this.choices.get(choice.index());
                    if (begun != null) {
                        begun.finish(choice);
                    }
                }
            }
            if (chunk.usage() != null) {
                this.usage = chunk.usage();
            }
            if (!this.cut) {
                chunk.extraFields()
                        .forEach((name, value) ->
                                put(this.budget, this.fields, name, value, ChatCompletionChunks::latest));
                this.cut = this.budget.isSpent();
            }
        }

        /**
         * Whether the chunks passed the bound: the completion then holds the texts, {@code logprobs} and fields of
         * the chunks up to the one that passed it, and the usage and finish reasons of all.
         */
        public boolean isCut() {
            return this.cut;
        }

        /** Whether no chunk was added. */
        public boolean isEmpty() {
            return this.first == null;
        }

        /** Whether a chunk so far carried a fragment of a tool call: then the answer is never complete. */
        public boolean hasToolCalls() {
            return this.toolCalls;
        }

        /** Whether the chunks so far are a whole answer, as {@link ChatCompletionChunks#isComplete} says. */
        public boolean isComplete() {
            return !this.toolCalls
                    && !this.choices.isEmpty()
                    && this.choices.values().stream().allMatch(choice -> choice.finishReason != null);
        }

        /**
         * The completion the chunks so far carry, as {@link ChatCompletionChunks#assemble} gives it.
         *
         * @throws IllegalStateException when no chunk was added
         */
        public ChatCompletion completion() {
            ChatCompletionChunk first = this.first;
            if (first == null) {
                throw new IllegalStateException("no chunk was added");
            }
            List<ChatCompletion.Choice> assembled = new ArrayList<>();
            this.choices.forEach((index, choice) -> assembled.add(choice.build(index)));
            Map<String, Object> fields = new LinkedHashMap<>(this.fields);
            Object fingerprint = fields.remove(SYSTEM_FINGERPRINT);
            return new ChatCompletion(
                    first.id(),
                    first.created(),
                    (first.model() != null) ? first.model() : "",
                    assembled,
                    this.usage,
                    (fingerprint instanceof String text) ? text : null,
                    fields);
        }
    }

    /** The later value, unless it is null: a field sent with a value and then as null keeps the value. */
    private static @Nullable Object latest(
            Budget budget, String name, @Nullable Object earlier, @Nullable Object later) {
        return (later != null) ? later : earlier;
    }

    /** A piece of a text field appended to the text so far; any other field's latest value. */
    private static @Nullable Object appended(
            Budget budget, String name, @Nullable Object earlier, @Nullable Object later) {
        if (TEXT_FIELDS.contains(name) && later instanceof String piece) {
            budget.charge(2L * piece.length());
            if (earlier instanceof TextSoFar text) {
                text.append(piece);
                return text;
            }
            if (earlier instanceof String text) {
                return new TextSoFar(text).append(piece);
            }
        }
        return latest(budget, name, earlier, later);
    }

    /**
     * For {@code logprobs}, the token lists ({@code content}, {@code refusal}) of two chunks
     * concatenated; for any other choice field, the latest value.
     */
    @SuppressWarnings("unchecked")
    private static @Nullable Object logprobs(
            Budget budget, String name, @Nullable Object earlier, @Nullable Object later) {
        if (!LOGPROBS.equals(name) || !(earlier instanceof Map<?, ?> before) || !(later instanceof Map<?, ?> after)) {
            return latest(budget, name, earlier, later);
        }
        Map<String, Object> merged =
                (before instanceof LogprobsSoFar own) ? own : new LogprobsSoFar((Map<String, Object>) before);
        ((Map<String, Object>) after)
                .forEach((list, value) -> put(budget, merged, list, value, ChatCompletionChunks::joined));
        return merged;
    }

    private static @Nullable Object joined(
            Budget budget, String name, @Nullable Object earlier, @Nullable Object later) {
        if (earlier instanceof List<?> first && later instanceof List<?> second) {
            ListSoFar joined = (first instanceof ListSoFar own) ? own : new ListSoFar(first);
            joined.addAll(second);
            budget.charge(second);
            return joined;
        }
        return latest(budget, name, earlier, later);
    }

    /**
     * Puts {@code value} under {@code name}, keeping a null when the field has no value yet, and charges {@code budget}
     * with what the fields grow by.
     */
    private static void put(
            Budget budget, Map<String, Object> fields, String name, @Nullable Object value, MergeFunction merge) {
        if (!fields.containsKey(name)) {
            fields.put(name, value);
            budget.charge(Collections.singletonMap(name, value));
        } else {
            fields.put(name, merge.apply(budget, name, fields.get(name), value));
        }
    }

    /** {@code fields} with each text put together so far as a string. */
    private static Map<String, Object> withTexts(Map<String, Object> fields) {
        Map<String, Object> finished = new LinkedHashMap<>(fields);
        finished.replaceAll((name, value) -> (value instanceof TextSoFar text) ? text.toString() : value);
        return finished;
    }

    @FunctionalInterface
    private interface MergeFunction {
        @Nullable
        Object apply(Budget budget, String name, @Nullable Object earlier, @Nullable Object later);
    }

    /** The heap an {@link Assembly} has taken so far, as {@link RetainedSize} estimates it, against its bound. */
    private static final class Budget {

        private final long maxBytes;

        private long bytes;

        Budget(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        void charge(@Nullable Object added) {
            charge(RetainedSize.of(added, this.maxBytes - this.bytes));
        }

        void charge(long added) {
            this.bytes += added;
        }

        boolean isSpent() {
            return this.bytes > this.maxBytes;
        }
    }

    /** A text field's pieces so far, appended in place; never a chunk's own value. */
    private static final class TextSoFar {

        private final StringBuilder text;

        TextSoFar(String first) {
            this.text = new StringBuilder(first);
        }

        TextSoFar append(String piece) {
            this.text.append(piece);
            return this;
        }

        @Override
        public String toString() {
            return this.text.toString();
        }
    }

    /** The {@code logprobs} of a choice so far, made here so that later chunks' lists are appended in place. */
    private static final class LogprobsSoFar extends LinkedHashMap<String, Object> {

        LogprobsSoFar(Map<String, Object> first) {
            super(first);
        }
    }

    /** A {@code logprobs} token list so far, made here so that later chunks' tokens are appended in place. */
    private static final class ListSoFar extends ArrayList<Object> {

        ListSoFar(List<?> first) {
            super(first);
        }
    }

    /** One choice's deltas, put together. */
    private static final class ChoiceBuilder {

        /** What a choice's builder takes before its first delta, about: the objects, maps and builder it holds. */
        private static final long SIZE = 256;

        private final Budget budget;
        private String role = "assistant";
        private @Nullable StringBuilder content;
        private final Map<String, Object> messageFields = new LinkedHashMap<>();
        private final Map<String, Object> choiceFields = new LinkedHashMap<>();
        private @Nullable String finishReason;

        ChoiceBuilder(Budget budget) {
            this.budget = budget;
            budget.charge(SIZE);
        }

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
                    this.budget.charge(2L * delta.content().length());
                }
                delta.extraFields()
                        .forEach((name, value) ->
                                put(this.budget, this.messageFields, name, value, ChatCompletionChunks::appended));
            }
            choice.extraFields()
                    .forEach((name, value) ->
                            put(this.budget, this.choiceFields, name, value, ChatCompletionChunks::logprobs));
            finish(choice);
        }

        /** Takes the choice's finish reason alone, once the assembly has cut its texts. */
        void finish(ChatCompletionChunk.Choice choice) {
            if (choice.finishReason() != null) {
                this.finishReason = choice.finishReason();
            }
        }

        ChatCompletion.Choice build(int index) {
            ChatMessage message = ChatMessage.of(this.role, (this.content != null) ? this.content.toString() : null)
                    .withExtraFields(withTexts(this.messageFields));
            return new ChatCompletion.Choice(index, message, this.finishReason, this.choiceFields);
        }
    }
}
