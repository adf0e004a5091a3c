package io.github.litellmcache.completion;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A chat completion in the OpenAI wire format. {@link #cacheHit()} and {@link #cacheKey()} report
 * the cache's outcome and are not part of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatCompletion(
        @JsonProperty("id") String id,
        @JsonProperty("created") long created,
        @JsonProperty("model") String model,
        @JsonProperty("choices") List<Choice> choices,
        @JsonProperty("usage") @Nullable Usage usage,
        @JsonProperty("system_fingerprint") @Nullable String systemFingerprint,
        @JsonIgnore boolean cacheHit,
        @JsonIgnore @Nullable String cacheKey)
        implements LlmResponse {

    public ChatCompletion {
        choices = (choices != null) ? List.copyOf(choices) : List.of();
    }

    public ChatCompletion(
            String id,
            long created,
            String model,
            List<Choice> choices,
            @Nullable Usage usage,
            @Nullable String systemFingerprint) {
        this(id, created, model, choices, usage, systemFingerprint, false, null);
    }

    /** Always {@code chat.completion}, as on the wire. */
    @JsonProperty("object")
    public String object() {
        return "chat.completion";
    }

    /** The text of the first choice, or null when there is none. */
    public @Nullable String content() {
        return this.choices.isEmpty() ? null : this.choices.get(0).message().content();
    }

    @Override
    @JsonIgnore
    public boolean isCacheable() {
        return !this.choices.isEmpty();
    }

    @Override
    public ChatCompletion withCacheResult(boolean cacheHit, @Nullable String cacheKey) {
        return new ChatCompletion(
                this.id,
                this.created,
                this.model,
                this.choices,
                this.usage,
                this.systemFingerprint,
                cacheHit,
                cacheKey);
    }

    /** One alternative answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Choice(
            @JsonProperty("index") int index,
            @JsonProperty("message") ChatMessage message,
            @JsonProperty("finish_reason") @Nullable String finishReason) {}
}
