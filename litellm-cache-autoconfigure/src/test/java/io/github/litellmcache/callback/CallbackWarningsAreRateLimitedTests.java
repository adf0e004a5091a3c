package io.github.litellmcache.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A callback that is slow or throws on every event is warned about once, not once per call, so that
 * at hundreds of calls a second the log is not flooded.
 */
@ExtendWith(OutputCaptureExtension.class)
class CallbackWarningsAreRateLimitedTests {

    private static final int EVENTS = 100;

    private static CallEvent event() {
        return CallEvents.answered(ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .message(ChatMessage.user("q"))
                .build());
    }

    private static long lines(CapturedOutput output, String text) {
        return output.getAll().lines().filter(line -> line.contains(text)).count();
    }

    @Test
    void eventsDroppedByASaturatedExecutorAreWarnedAboutOnce(CapturedOutput output) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CompletionCallback blocking = new CompletionCallback() {
            @Override
            public void onSuccess(CallEvent event) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (CallbackDispatcher dispatcher = CallbackDispatcher.create(List.of(blocking), 1, 1, Long.MAX_VALUE)) {
            for (int i = 0; i < EVENTS; i++) {
                dispatcher.dispatch(event());
            }
            release.countDown();
        }
        assertThat(lines(output, "dropped")).isOne();
    }

    @Test
    void aCallbackThatThrowsOnEveryEventIsWarnedAboutOnce(CapturedOutput output) throws InterruptedException {
        CountDownLatch delivered = new CountDownLatch(EVENTS);
        CompletionCallback throwing = new CompletionCallback() {
            @Override
            public void onSuccess(CallEvent event) {
                delivered.countDown();
                throw new IllegalStateException("broken callback");
            }
        };
        try (CallbackDispatcher dispatcher = CallbackDispatcher.create(List.of(throwing), 1, EVENTS, Long.MAX_VALUE)) {
            for (int i = 0; i < EVENTS; i++) {
                dispatcher.dispatch(event());
            }
            assertThat(delivered.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(lines(output, "IllegalStateException")).isOne();
    }
}
