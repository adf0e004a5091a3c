package io.github.litellmcache.completion;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message of a chat. The content is plain text or, for multi-part messages (text and images),
 * a list of parts in the OpenAI wire format.
 *
 * @param role {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content the text, or null for multi-part content or a tool-call-only message
 * @param contentParts the parts of multi-part content, or null
 * @param name the participant's name, or null
 * @param toolCalls the tool calls of an assistant message, or null
 * @param toolCallId the tool call a {@code tool} message answers, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(
        @JsonProperty("role") String role,
        @JsonIgnore @Nullable String content,
        @JsonIgnore @Nullable List<Map<String, Object>> contentParts,
        @JsonProperty("name") @Nullable String name,
        @JsonProperty("tool_calls") @Nullable List<Map<String, Object>> toolCalls,
        @JsonProperty("tool_call_id") @Nullable String toolCallId) {

    public ChatMessage {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("message role must not be blank: use system, user, assistant or tool");
        }
        contentParts = (contentParts != null) ? List.copyOf(contentParts) : null;
        toolCalls = (toolCalls != null) ? List.copyOf(toolCalls) : null;
    }

    public static ChatMessage of(String role, @Nullable String content) {
        return new ChatMessage(role, content, null, null, null, null);
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
        return new ChatMessage(role, null, parts, null, null, null);
    }

    /** This message with the participant's {@code name}. */
    public ChatMessage withName(@Nullable String name) {
        return new ChatMessage(this.role, this.content, this.contentParts, name, this.toolCalls, this.toolCallId);
    }

    /** This message with the {@code toolCalls} of an assistant turn. */
    public ChatMessage withToolCalls(@Nullable List<Map<String, Object>> toolCalls) {
        return new ChatMessage(this.role, this.content, this.contentParts, this.name, toolCalls, this.toolCallId);
    }

    /** This message as the answer to the tool call {@code toolCallId}. */
    public ChatMessage withToolCallId(@Nullable String toolCallId) {
        return new ChatMessage(this.role, this.content, this.contentParts, this.name, this.toolCalls, toolCallId);
    }

    /** The {@code content} field of the wire format: the text or the list of parts. */
    @JsonGetter("content")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Nullable
    Object wireContent() {
        return (this.contentParts != null) ? this.contentParts : this.content;
    }

    @JsonCreator
    static ChatMessage fromWire(
            @JsonProperty("role") String role,
            @JsonProperty("content") @Nullable Object content,
            @JsonProperty("name") @Nullable String name,
            @JsonProperty("tool_calls") @Nullable List<Map<String, Object>> toolCalls,
            @JsonProperty("tool_call_id") @Nullable String toolCallId) {
        if (content instanceof List<?> parts) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> typed = (List<Map<String, Object>>) parts;
            return new ChatMessage(role, null, typed, name, toolCalls, toolCallId);
        }
        return new ChatMessage(role, Objects.toString(content, null), null, name, toolCalls, toolCallId);
    }

    @Override
    public String toString() {
        return "ChatMessage[role=" + this.role + "]";
    }
}
