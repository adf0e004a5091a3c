package io.github.litellmcache.completion;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Token usage of a call, as reported by the provider. The fields it does not model, such as
 * {@code prompt_tokens_details} and {@code completion_tokens_details}, are kept in
 * {@link #extraFields()} and written back unchanged. The three counts are always written, so the
 * usage of embeddings carries {@code "completion_tokens": 0} where OpenAI leaves it out.
 */
public record Usage(
        @JsonProperty("prompt_tokens") long promptTokens,
        @JsonProperty("completion_tokens") long completionTokens,
        @JsonProperty("total_tokens") long totalTokens,
        @JsonAnyGetter Map<String, Object> extraFields) {

    public static final Usage NONE = new Usage(0, 0, 0);

    public Usage {
        extraFields = ExtraFields.of(extraFields);
    }

    public Usage(long promptTokens, long completionTokens, long totalTokens) {
        this(promptTokens, completionTokens, totalTokens, ExtraFields.NONE);
    }

    @JsonCreator
    static Usage fromWire(
            @JsonProperty("prompt_tokens") long promptTokens,
            @JsonProperty("completion_tokens") long completionTokens,
            @JsonProperty("total_tokens") long totalTokens,
            @JsonAnySetter @Nullable Map<String, Object> extraFields) {
        return new Usage(promptTokens, completionTokens, totalTokens, ExtraFields.read(extraFields));
    }

    /** {@code prompt_tokens_details.cached_tokens}: prompt tokens the provider served from its own cache, or null. */
    public @Nullable Long cachedTokens() {
        return ExtraFields.count(this.extraFields, "prompt_tokens_details", "cached_tokens");
    }

    /** {@code completion_tokens_details.reasoning_tokens}: completion tokens spent on reasoning, or null. */
    public @Nullable Long reasoningTokens() {
        return ExtraFields.count(this.extraFields, "completion_tokens_details", "reasoning_tokens");
    }

    /**
     * The sum of the counts of this usage and {@code other}. Fields it does not model are not summed
     * and are left out.
     */
    public Usage plus(Usage other) {
        return new Usage(
                this.promptTokens + other.promptTokens,
                this.completionTokens + other.completionTokens,
                this.totalTokens + other.totalTokens);
    }
}
