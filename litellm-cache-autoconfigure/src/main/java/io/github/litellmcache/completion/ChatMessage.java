package io.github.litellmcache.completion;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One message of a chat. The content is plain text or, for multi-part messages (text and images),
 * a list of parts in the OpenAI wire format. Fields it does not model ({@code refusal},
 * {@code annotations}, {@code audio}, {@code reasoning_content}, ...) are kept in
 * {@link #extraFields()} and written back unchanged: in an answer, to the caller; in a request, to
 * the provider and into the cache key. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.NONE,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class ChatMessage {

    /** The wire names of the fields it models, which its extra fields may not use. */
    private static final Set<String> MODELLED = Set.of("role", "content", "name", "tool_calls", "tool_call_id");

    private final String role;
    private final @Nullable String content;
    private final @Nullable List<Map<String, Object>> contentParts;
    private final @Nullable String name;
    private final @Nullable List<Map<String, Object>> toolCalls;
    private final @Nullable String toolCallId;
    private final Map<String, Object> extraFields;

    /** Whether the parts, tool calls and extra fields hold only plain values, as {@link PlainValues} defines them. */
    private final boolean plain;

    /**
     * The hash code, computed on first use without a varargs array: messages are keys of the key
     * generator's memo, hashed in every call.
     */
    private int hash;

    private ChatMessage(
            String role,
            @Nullable String content,
            @Nullable List<Map<String, Object>> contentParts,
            @Nullable String name,
            @Nullable List<Map<String, Object>> toolCalls,
            @Nullable String toolCallId,
            Map<String, Object> extraFields) {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("message role must not be blank: use system, user, assistant or tool");
        }
        this.role = role;
        this.content = content;
        PlainValues values = (contentParts != null || toolCalls != null) ? new PlainValues() : null;
        this.contentParts = (values != null) ? values.copy("message content", contentParts) : null;
        this.name = name;
        this.toolCalls = (values != null) ? values.copy("message tool_calls", toolCalls) : null;
        this.toolCallId = toolCallId;
        this.extraFields = ExtraFields.of(extraFields);
        this.plain = (values == null || values.allPlain()) && ExtraFields.isPlain(this.extraFields);
    }

    public static ChatMessage of(String role, @Nullable String content) {
        return new ChatMessage(role, content, null, null, null, null, ExtraFields.NONE);
    }

    public static ChatMessage system(String content) {
        return of("system", content);
    }

    public static ChatMessage user(String content) {
        return of("user", content);
    }

    public static ChatMessage assistant(String content) {
        return of("assistant", content);
    }

    /** A message whose content is a list of parts (for example {@code {"type":"text","text":"..."}}). */
    public static ChatMessage multiPart(String role, List<Map<String, Object>> parts) {
        return new ChatMessage(role, null, parts, null, null, null, ExtraFields.NONE);
    }

    @JsonCreator
    static ChatMessage fromWire(
            @JsonProperty("role") String role,
            @JsonProperty("content") @Nullable Object content,
            @JsonProperty("name") @Nullable String name,
            @JsonProperty("tool_calls") @Nullable List<Map<String, Object>> toolCalls,
            @JsonProperty("tool_call_id") @Nullable String toolCallId,
            @JsonAnySetter @Nullable Map<String, Object> extraFields) {
        Map<String, Object> extra = ExtraFields.read(extraFields);
        if (content instanceof List<?> parts) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> typed = (List<Map<String, Object>>) parts;
            return new ChatMessage(role, null, typed, name, toolCalls, toolCallId, extra);
        }
        return new ChatMessage(role, Objects.toString(content, null), null, name, toolCalls, toolCallId, extra);
    }

    /** This message with the participant's {@code name}. */
    public ChatMessage withName(@Nullable String name) {
        return new ChatMessage(
                this.role, this.content, this.contentParts, name, this.toolCalls, this.toolCallId, this.extraFields);
    }

    /** This message with the {@code toolCalls} of an assistant turn. */
    public ChatMessage withToolCalls(@Nullable List<Map<String, Object>> toolCalls) {
        return new ChatMessage(
                this.role, this.content, this.contentParts, this.name, toolCalls, this.toolCallId, this.extraFields);
    }

    /** This message as the answer to the tool call {@code toolCallId}. */
    public ChatMessage withToolCallId(@Nullable String toolCallId) {
        return new ChatMessage(
                this.role, this.content, this.contentParts, this.name, this.toolCalls, toolCallId, this.extraFields);
    }

    /**
     * This message with {@code extraFields}, fields it does not model, sent and written as they are.
     *
     * @throws IllegalArgumentException when a field is one it models ({@code role}, {@code content},
     *     {@code name}, {@code tool_calls}, {@code tool_call_id}), which would be sent twice
     */
    public ChatMessage withExtraFields(@Nullable Map<String, Object> extraFields) {
        for (String field : (extraFields != null) ? extraFields.keySet() : Set.<String>of()) {
            if (MODELLED.contains(field)) {
                throw new IllegalArgumentException("extra field \"" + field + "\" is one that ChatMessage models,"
                        + " and would be sent twice: set it with of, multiPart, withName, withToolCalls or"
                        + " withToolCallId");
            }
        }
        return new ChatMessage(
                this.role,
                this.content,
                this.contentParts,
                this.name,
                this.toolCalls,
                this.toolCallId,
                (extraFields != null) ? extraFields : ExtraFields.NONE);
    }

    /** {@code system}, {@code user}, {@code assistant} or {@code tool}. */
    @JsonProperty("role")
    public String role() {
        return this.role;
    }

    /** The text, or null for multi-part content or a message with tool calls only. */
    public @Nullable String content() {
        return this.content;
    }

    /** The parts of multi-part content, or null. */
    public @Nullable List<Map<String, Object>> contentParts() {
        return this.contentParts;
    }

    /** The participant's name, or null. */
    @JsonProperty("name")
    public @Nullable String name() {
        return this.name;
    }

    /** The tool calls of an assistant message, or null. */
    @JsonProperty("tool_calls")
    public @Nullable List<Map<String, Object>> toolCalls() {
        return this.toolCalls;
    }

    /** The tool call a {@code tool} message answers, or null. */
    @JsonProperty("tool_call_id")
    public @Nullable String toolCallId() {
        return this.toolCallId;
    }

    /** The fields this type does not model, in the order they were read; empty when there are none. */
    @JsonAnyGetter
    public Map<String, Object> extraFields() {
        return this.extraFields;
    }

    /** {@code refusal}: the model's refusal message, or null. */
    public @Nullable String refusal() {
        return ExtraFields.string(this.extraFields, "refusal");
    }

    /** {@code reasoning_content}: the reasoning text that DeepSeek, vLLM and others send, or null. */
    public @Nullable String reasoningContent() {
        return ExtraFields.string(this.extraFields, "reasoning_content");
    }

    /** {@code annotations}, such as the URL citations of a web search, or null. */
    public @Nullable List<Map<String, Object>> annotations() {
        return ExtraFields.objects(this.extraFields, "annotations");
    }

    /**
     * Whether every value in this message is plain and deep-immutable, so that an equal message is
     * known to have the same JSON form (the key generator remembers keys only for such messages).
     */
    boolean isPlain() {
        return this.plain;
    }

    /** The {@code content} field of the wire format: the text or the list of parts. */
    @JsonProperty("content")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Nullable
    Object wireContent() {
        return (this.contentParts != null) ? this.contentParts : this.content;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChatMessage that
                && this.role.equals(that.role)
                && Objects.equals(this.content, that.content)
                && Objects.equals(this.contentParts, that.contentParts)
                && Objects.equals(this.name, that.name)
                && Objects.equals(this.toolCalls, that.toolCalls)
                && Objects.equals(this.toolCallId, that.toolCallId)
                && this.extraFields.equals(that.extraFields);
    }

    @Override
    public int hashCode() {
        int hash = this.hash;
        if (hash == 0) {
            hash = this.role.hashCode();
            hash = 31 * hash + Objects.hashCode(this.content);
            hash = 31 * hash + Objects.hashCode(this.contentParts);
            hash = 31 * hash + Objects.hashCode(this.name);
            hash = 31 * hash + Objects.hashCode(this.toolCalls);
            hash = 31 * hash + Objects.hashCode(this.toolCallId);
            hash = 31 * hash + this.extraFields.hashCode();
            this.hash = hash;
        }
        return hash;
    }

    /** Names the role only, so that logs never carry prompt text. */
    @Override
    public String toString() {
        return "ChatMessage[role=" + this.role + "]";
    }
}
