package io.github.litellmcache.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A callback that throws, even an {@link Error}, keeps no other callback from its event. */
class CallbackThatThrowsAnErrorTests {

    @Test
    void theNextCallbackSeesTheEventAfterOneThrewAnAssertionError() throws InterruptedException {
        BlockingQueue<CallEvent> seen = new LinkedBlockingQueue<>();
        CompletionCallback throwing = new CompletionCallback() {
            @Override
            public void onSuccess(CallEvent event) {
                throw new AssertionError("a callback's own check failed");
            }
        };
        CompletionCallback recording = new CompletionCallback() {
            @Override
            public void onSuccess(CallEvent event) {
                seen.add(event);
            }
        };
        try (CallbackDispatcher dispatcher =
                CallbackDispatcher.create(List.of(throwing, recording), 1, 10, Long.MAX_VALUE)) {
            CallEvent event = CallEvents.answered(ChatCompletionRequest.builder()
                    .model("gpt-4o-mini")
                    .message(ChatMessage.user("q"))
                    .build());
            dispatcher.dispatch(event);
            assertThat(seen.poll(10, TimeUnit.SECONDS)).isSameAs(event);
        }
    }
}
