package io.github.litellmcache.callback;

import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.LlmResponse;
import io.github.litellmcache.display.LogText;
import io.github.litellmcache.display.PropertyValues;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One finished call, as callbacks see it.
 *
 * @param callType the kind of call
 * @param model the requested model
 * @param request the request
 * @param response the {@code ChatCompletion} or {@code EmbeddingResponse}, null on failure
 * @param startTime when the call started
 * @param endTime when its result was ready
 * @param cacheHit whether the response came from the cache
 * @param cacheKey the cache key, null when the call did not use the cache
 * @param error why the call failed, null on success
 * @param responseTruncated whether {@code response} is a streamed completion cut at
 *     {@code litellm.cache.max-stream-size}: its texts and {@code logprobs} hold the stream's beginning only, while
 *     its usage and finish reasons are the whole stream's
 */
public record CallEvent(
        CallType callType,
        String model,
        LlmRequest request,
        @Nullable LlmResponse response,
        Instant startTime,
        Instant endTime,
        boolean cacheHit,
        @Nullable String cacheKey,
        @Nullable Throwable error,
        boolean responseTruncated) {

    /**
     * Names what happened to the call, never its cache key (derived from the prompt), its response or
     * its error's message, with no line break in the model's name, so that a callback may log the event.
     */
    @Override
    public String toString() {
        return "CallEvent[callType=" + PropertyValues.of(this.callType) + ", model=" + LogText.printable(this.model)
                + ", cacheHit="
                + this.cacheHit + ", startTime=" + this.startTime + ", endTime=" + this.endTime
                + ((this.error != null) ? ", error=" + this.error.getClass().getSimpleName() : "")
                + (this.responseTruncated ? ", responseTruncated=true" : "") + "]";
    }
}
