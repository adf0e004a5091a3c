package io.github.litellmcache.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The events waiting for a slow callback are bounded by the memory their requests and responses
 * hold, not only by their number: 10,000 queued batches of embeddings would fill any heap.
 */
@ExtendWith(OutputCaptureExtension.class)
class EventsWaitingForCallbacksAreBoundedByMemoryTests {

    private static final long MEGABYTE = 1024 * 1024;

    /** The budget: two events of {@link #event} fit, a third does not. */
    private static final long MAX_QUEUED = 10 * MEGABYTE;

    private final List<String> delivered = new CopyOnWriteArrayList<>();

    private final CountDownLatch release = new CountDownLatch(1);

    private final CompletionCallback slow = new CompletionCallback() {
        @Override
        public void onSuccess(CallEvent event) {
            try {
                EventsWaitingForCallbacksAreBoundedByMemoryTests.this.release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            EventsWaitingForCallbacksAreBoundedByMemoryTests.this.delivered.add(event.model());
        }
    };

    /** An embedding call named {@code name} whose answer holds a vector of {@code megabytes} MB. */
    private static CallEvent event(String name, int megabytes) {
        EmbeddingRequest request =
                EmbeddingRequest.builder().model(name).input("text").build();
        EmbeddingResponse response = new EmbeddingResponse(
                List.of(new EmbeddingResponse.Embedding(0, new float[(int) (megabytes * MEGABYTE / Float.BYTES)])),
                name,
                null);
        return new CallEvent(
                CallType.EMBEDDING, name, request, response, Instant.EPOCH, Instant.EPOCH, false, null, null, false);
    }

    @Test
    void anEventBeyondTheMemoryOfThoseWaitingIsDroppedWithAWarningUntilTheyAreDelivered(CapturedOutput output)
            throws InterruptedException {
        try (CallbackDispatcher dispatcher = CallbackDispatcher.create(List.of(this.slow), 1, 10_000, MAX_QUEUED)) {
            dispatcher.dispatch(event("first", 4));
            dispatcher.dispatch(event("second", 4));
            dispatcher.dispatch(event("dropped", 4));
            this.release.countDown();
            awaitDelivered(2);
            dispatcher.dispatch(event("after", 4));
            awaitDelivered(3);
        }
        assertThat(this.delivered).containsExactly("first", "second", "after");
        assertThat(output.getAll()).contains("A call event was dropped").contains("hold more than 10 MB");
    }

    @Test
    void anEventLargerThanTheBoundIsDeliveredWhenNoneWaits() throws InterruptedException {
        this.release.countDown();
        try (CallbackDispatcher dispatcher = CallbackDispatcher.create(List.of(this.slow), 1, 10_000, MAX_QUEUED)) {
            dispatcher.dispatch(event("large", 12));
            awaitDelivered(1);
        }
        assertThat(this.delivered).containsExactly("large");
    }

    private void awaitDelivered(int count) throws InterruptedException {
        for (int i = 0; i < 1000 && this.delivered.size() < count; i++) {
            Thread.sleep(10);
        }
        assertThat(this.delivered).hasSize(count);
    }
}
