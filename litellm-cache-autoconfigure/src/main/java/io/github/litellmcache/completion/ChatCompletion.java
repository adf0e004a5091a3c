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
 * A chat completion in the OpenAI wire format. Every field the provider sent is kept, at every
 * level: those the types do not model ({@code service_tier}, {@code logprobs}, {@code refusal},
 * {@code reasoning_content}, usage details, ...) in {@code extraFields}, in the provider's order, and
 * written back unchanged, so a hit carries what the miss did. What our JSON does differently:
 * {@code object} is always written; a modelled field sent as {@code null} (such as {@code usage} or
 * {@code system_fingerprint}) is written as absent, but for {@code finish_reason} and a message's
 * {@code content}, always written as OpenAI does; numbers keep their value, not their spelling.
 * {@link #cacheHit()}, {@link #cacheStale()} and {@link #cacheKey()} report the cache's outcome and are
 * not part of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = "object", allowGetters = true)
public record ChatCompletion(
        @JsonProperty("id") @Nullable String id,
        @JsonProperty("created") long created,
        @JsonProperty("model") String model,
        @JsonProperty("choices") List<Choice> choices,
        @JsonProperty("usage") @Nullable Usage usage,
        @JsonProperty("system_fingerprint") @Nullable String systemFingerprint,
        @JsonAnyGetter Map<String, Object> extraFields,
        @JsonIgnore boolean cacheHit,
        @JsonIgnore @Nullable String cacheKey,
        @JsonIgnore boolean cacheStale)
        implements LlmResponse {

    public ChatCompletion {
        choices = (choices != null) ? List.copyOf(choices) : List.of();
        extraFields = ExtraFields.of(extraFields);
    }

    public ChatCompletion(
            @Nullable String id,
            long created,
            String model,
            List<Choice> choices,
            @Nullable Usage usage,
            @Nullable String systemFingerprint) {
        this(id, created, model, choices, usage, systemFingerprint, ExtraFields.NONE);
    }

    public ChatCompletion(
            @Nullable String id,
            long created,
            String model,
            List<Choice> choices,
            @Nullable Usage usage,
            @Nullable String systemFingerprint,
            Map<String, Object> extraFields) {
        this(id, created, model, choices, usage, systemFingerprint, extraFields, false, null, false);
    }

    @JsonCreator
    static ChatCompletion fromWire(
            @JsonProperty("id") @Nullable String id,
            @JsonProperty("created") long created,
            @JsonProperty("model") String model,
            @JsonProperty("choices") List<Choice> choices,
            @JsonProperty("usage") @Nullable Usage usage,
            @JsonProperty("system_fingerprint") @Nullable String systemFingerprint,
            @JsonAnySetter @Nullable Map<String, Object> extraFields) {
        return new ChatCompletion(id, created, model, choices, usage, systemFingerprint, ExtraFields.read(extraFields));
    }

    /** Always {@code chat.completion}, as on the wire. */
    @JsonProperty("object")
    public String object() {
        return "chat.completion";
    }

    /** The text of the first choice, or null when there is none (no choice, or one without a message). */
    public @Nullable String content() {
        ChatMessage message =
                this.choices.isEmpty() ? null : this.choices.get(0).message();
        return (message != null) ? message.content() : null;
    }

    /** {@code service_tier}: the processing tier the provider used, or null. */
    public @Nullable String serviceTier() {
        return ExtraFields.string(this.extraFields, "service_tier");
    }

    @Override
    @JsonIgnore
    public boolean isCacheable() {
        for (Choice choice : this.choices) {
            if (choice.message() == null) {
                return false;
            }
        }
        return !this.choices.isEmpty();
    }

    @Override
    public ChatCompletion withCacheResult(boolean cacheHit, boolean cacheStale, @Nullable String cacheKey) {
        return new ChatCompletion(
                this.id,
                this.created,
                this.model,
                this.choices,
                this.usage,
                this.systemFingerprint,
                this.extraFields,
                cacheHit,
                cacheKey,
                cacheStale);
    }

    /** One alternative answer; its {@code logprobs} and any other unmodelled field are in {@code extraFields}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Choice(
            @JsonProperty("index") int index,
            @JsonProperty("message") ChatMessage message,

            @JsonProperty("finish_reason") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
            String finishReason,

            @JsonAnyGetter Map<String, Object> extraFields) {

        public Choice {
            extraFields = ExtraFields.of(extraFields);
        }

        public Choice(int index, ChatMessage message, @Nullable String finishReason) {
            this(index, message, finishReason, ExtraFields.NONE);
        }

        @JsonCreator
        static Choice fromWire(
                @JsonProperty("index") int index,
                @JsonProperty("message") ChatMessage message,
                @JsonProperty("finish_reason") @Nullable String finishReason,
                @JsonAnySetter @Nullable Map<String, Object> extraFields) {
            return new Choice(index, message, finishReason, ExtraFields.read(extraFields));
        }

        /** {@code logprobs}: the log probabilities of the tokens (with {@code content} and {@code refusal}), or null. */
        public @Nullable Map<String, Object> logprobs() {
            return ExtraFields.object(this.extraFields, "logprobs");
        }
    }
}
