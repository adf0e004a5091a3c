package io.github.litellmcache.callback;

import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.completion.ChatCompletionRequest;
import java.time.Instant;

/** Call events for the tests of what dispatches them. */
public final class CallEvents {

    private CallEvents() {}

    /** The event of a chat completion of {@code request} that the provider answered, with no response kept. */
    public static CallEvent answered(ChatCompletionRequest request) {
        return new CallEvent(
                CallType.COMPLETION,
                request.model(),
                request,
                null,
                Instant.EPOCH,
                Instant.EPOCH,
                false,
                null,
                null,
                false);
    }
}
