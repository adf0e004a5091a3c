package io.github.litellmcache.completion;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One server-sent event of a streamed chat completion, in the OpenAI wire format. Fields it does not
 * model ({@code system_fingerprint}, {@code service_tier}, a choice's {@code logprobs}, a delta's
 * {@code reasoning_content} or {@code refusal}, ...) are kept in {@code extraFields} at each level
 * and written back unchanged, with the differences named on {@link ChatCompletion}. Its {@code id} is
 * null when the server sent none, as OpenVINO Model Server and MiniMax do; a completion assembled from
 * such chunks has none either.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = "object", allowGetters = true)
public record ChatCompletionChunk(
        @JsonProperty("id") @Nullable String id,
        @JsonProperty("created") long created,
        @JsonProperty("model") @Nullable String model,
        @JsonProperty("choices") List<Choice> choices,
        @JsonProperty("usage") @Nullable Usage usage,
        @JsonAnyGetter Map<String, Object> extraFields,
        @JsonIgnore boolean cacheHit) {

    public ChatCompletionChunk {
        choices = (choices != null) ? List.copyOf(choices) : List.of();
        extraFields = ExtraFields.of(extraFields);
    }

    public ChatCompletionChunk(
            @Nullable String id,
            long created,
            @Nullable String model,
            List<Choice> choices,
            @Nullable Usage usage,
            boolean cacheHit) {
        this(id, created, model, choices, usage, ExtraFields.NONE, cacheHit);
    }

    @JsonCreator
    static ChatCompletionChunk fromWire(
            @JsonProperty("id") @Nullable String id,
            @JsonProperty("created") long created,
            @JsonProperty("model") @Nullable String model,
            @JsonProperty("choices") List<Choice> choices,
            @JsonProperty("usage") @Nullable Usage usage,
            @JsonAnySetter @Nullable Map<String, Object> extraFields) {
        return new ChatCompletionChunk(id, created, model, choices, usage, ExtraFields.read(extraFields), false);
    }

    /** Always {@code chat.completion.chunk}, as on the wire. */
    @JsonProperty("object")
    public String object() {
        return "chat.completion.chunk";
    }

    /** This chunk marked as served from the cache, or not. */
    public ChatCompletionChunk withCacheHit(boolean cacheHit) {
        return new ChatCompletionChunk(
                this.id, this.created, this.model, this.choices, this.usage, this.extraFields, cacheHit);
    }

    /**
     * The delta text of the first choice, or null when there is none (no choice, or one without a delta, as Azure's
     * content filter sends).
     */
    public @Nullable String content() {
        Delta delta = this.choices.isEmpty() ? null : this.choices.get(0).delta();
        return (delta != null) ? delta.content() : null;
    }

    /** {@code system_fingerprint}, or null. */
    public @Nullable String systemFingerprint() {
        return ExtraFields.string(this.extraFields, "system_fingerprint");
    }

    /** {@code service_tier}, or null. */
    public @Nullable String serviceTier() {
        return ExtraFields.string(this.extraFields, "service_tier");
    }

    /** One choice's increment; its {@code logprobs} and any other unmodelled field are in {@code extraFields}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Choice(
            @JsonProperty("index") int index,
            @JsonProperty("delta") Delta delta,

            @JsonProperty("finish_reason") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
            String finishReason,

            @JsonAnyGetter Map<String, Object> extraFields) {

        public Choice {
            extraFields = ExtraFields.of(extraFields);
        }

        public Choice(int index, Delta delta, @Nullable String finishReason) {
            this(index, delta, finishReason, ExtraFields.NONE);
        }

        @JsonCreator
        static Choice fromWire(
                @JsonProperty("index") int index,
                @JsonProperty("delta") Delta delta,
                @JsonProperty("finish_reason") @Nullable String finishReason,
                @JsonAnySetter @Nullable Map<String, Object> extraFields) {
            return new Choice(index, delta, finishReason, ExtraFields.read(extraFields));
        }

        /** {@code logprobs} of this increment's tokens, or null. */
        public @Nullable Map<String, Object> logprobs() {
            return ExtraFields.object(this.extraFields, "logprobs");
        }
    }

    /**
     * The role (first chunk), the next piece of content, and fragments of tool calls, passed on as
     * the provider sent them; the next piece of {@code reasoning_content} or {@code refusal}, and any
     * other unmodelled field, are in {@code extraFields}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(
            @JsonProperty("role") @Nullable String role,
            @JsonProperty("content") @Nullable String content,
            @JsonProperty("tool_calls") @Nullable List<Map<String, Object>> toolCalls,
            @JsonAnyGetter Map<String, Object> extraFields) {

        public Delta {
            extraFields = ExtraFields.of(extraFields);
        }

        public Delta(@Nullable String role, @Nullable String content) {
            this(role, content, null, ExtraFields.NONE);
        }

        public Delta(@Nullable String role, @Nullable String content, @Nullable List<Map<String, Object>> toolCalls) {
            this(role, content, toolCalls, ExtraFields.NONE);
        }

        @JsonCreator
        static Delta fromWire(
                @JsonProperty("role") @Nullable String role,
                @JsonProperty("content") @Nullable String content,
                @JsonProperty("tool_calls") @Nullable List<Map<String, Object>> toolCalls,
                @JsonAnySetter @Nullable Map<String, Object> extraFields) {
            return new Delta(role, content, toolCalls, ExtraFields.read(extraFields));
        }

        /** The next piece of {@code reasoning_content}, or null. */
        public @Nullable String reasoningContent() {
            return ExtraFields.string(this.extraFields, "reasoning_content");
        }

        /** The next piece of {@code refusal}, or null. */
        public @Nullable String refusal() {
            return ExtraFields.string(this.extraFields, "refusal");
        }
    }
}
