package io.github.litellmcache.testsupport;

import io.github.litellmcache.callback.CallEvent;
import io.github.litellmcache.callback.CompletionCallback;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** A {@link CompletionCallback} bean that keeps every event it is told of, successes and failures, in order. */
public final class RecordedCallEvents implements CompletionCallback {

    private final BlockingQueue<CallEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void onSuccess(CallEvent event) {
        this.events.add(event);
    }

    @Override
    public void onFailure(CallEvent event) {
        this.events.add(event);
    }

    /** The next event, waited for up to ten seconds; null when none came. */
    public @Nullable CallEvent next() throws InterruptedException {
        return this.events.poll(10, TimeUnit.SECONDS);
    }

    /** Whether every event told so far has been taken. */
    public boolean isEmpty() {
        return this.events.isEmpty();
    }
}
