package io.github.litellmcache.completion;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One server-sent event of a streamed chat completion, in the OpenAI wire format. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatCompletionChunk(
        @JsonProperty("id") String id,
        @JsonProperty("created") long created,
        @JsonProperty("model") @Nullable String model,
        @JsonProperty("choices") List<Choice> choices,
        @JsonProperty("usage") @Nullable Usage usage,
        @JsonIgnore boolean cacheHit) {

    public ChatCompletionChunk {
        choices = (choices != null) ? List.copyOf(choices) : List.of();
    }

    /** Always {@code chat.completion.chunk}, as on the wire. */
    @JsonProperty("object")
    public String object() {
        return "chat.completion.chunk";
    }

    /** This chunk marked as served from the cache, or not. */
    public ChatCompletionChunk withCacheHit(boolean cacheHit) {
        return new ChatCompletionChunk(this.id, this.created, this.model, this.choices, this.usage, cacheHit);
    }

    /** The delta text of the first choice, or null when there is none. */
    public @Nullable String content() {
        return this.choices.isEmpty() ? null : this.choices.get(0).delta().content();
    }

    /** One choice's increment. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Choice(
            @JsonProperty("index") int index,
            @JsonProperty("delta") Delta delta,
            @JsonProperty("finish_reason") @Nullable String finishReason) {}

    /**
     * The role (first chunk), the next piece of content, and fragments of tool calls, passed on as
     * the provider sent them.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Delta(
            @JsonProperty("role") @Nullable String role,
            @JsonProperty("content") @Nullable String content,
            @JsonProperty("tool_calls") @Nullable List<Map<String, Object>> toolCalls) {

        public Delta(@Nullable String role, @Nullable String content) {
            this(role, content, null);
        }
    }
}
