package io.github.litellmcache.callback;

/**
 * Told about every call of the cached {@code CompletionService} (LiteLLM's success and failure
 * callbacks, where {@code kwargs["cache_hit"]} is {@link CallEvent#cacheHit()}). Every bean of this
 * type is invoked off the caller's thread after the result is delivered; one that throws or blocks
 * never fails or delays the call.
 */
public interface CompletionCallback {

    /** After a call that succeeded. */
    default void onSuccess(CallEvent event) {}

    /** After a call that failed; {@link CallEvent#error()} says why. */
    default void onFailure(CallEvent event) {}
}
