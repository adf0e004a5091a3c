package io.github.litellmcache.callback;

import io.github.litellmcache.completion.RetainedSize;
import io.github.litellmcache.display.ThrottledLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Exceptions;

/**
 * Hands each {@link CallEvent} to every {@link CompletionCallback} on an executor, so that callbacks
 * never run on, fail or delay the caller's thread. The events waiting for slow callbacks are bounded
 * in number and in the memory their requests and responses hold ({@link RetainedSize}): a batch of
 * embeddings can hold tens of megabytes, and a queue bounded by count alone could fill the heap. An
 * event is taken whatever its size when none waits. Dropped events, and the failures of each
 * callback, are warned about at most once every 10 seconds, with how many were left out.
 */
public final class CallbackDispatcher implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(CallbackDispatcher.class);

    private static final Duration WARNING_INTERVAL = Duration.ofSeconds(10);

    private final List<Listener> listeners;
    private final ExecutorService executor;
    private final long maxQueuedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final ThrottledLog drops = new ThrottledLog(logger, WARNING_INTERVAL);
    private final LongAdder dropped = new LongAdder();

    /**
     * Dispatches to {@code callbacks} on {@code executor}, which {@link #close()} shuts down, while the
     * events not yet delivered hold at most {@code maxQueuedBytes}.
     */
    public CallbackDispatcher(List<CompletionCallback> callbacks, ExecutorService executor, long maxQueuedBytes) {
        this.listeners = callbacks.stream()
                .map(callback -> new Listener(callback, new ThrottledLog(logger, WARNING_INTERVAL)))
                .toList();
        this.executor = executor;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /**
     * Dispatches to {@code callbacks} on up to {@code threads} daemon threads, queueing at most
     * {@code queueCapacity} events holding at most {@code maxQueuedBytes}; events beyond either are
     * dropped with a warning.
     */
    public static CallbackDispatcher create(
            List<CompletionCallback> callbacks, int threads, int queueCapacity, long maxQueuedBytes) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queueCapacity), task -> {
                    Thread thread = new Thread(task, "litellm-callback-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return new CallbackDispatcher(callbacks, executor, maxQueuedBytes);
    }

    /** Whether any callback listens, so that callers can skip building events. */
    public boolean hasCallbacks() {
        return !this.listeners.isEmpty();
    }

    public void dispatch(CallEvent event) {
        if (this.listeners.isEmpty()) {
            return;
        }
        long size = RetainedSize.of(event.request(), this.maxQueuedBytes)
                + RetainedSize.of(event.response(), this.maxQueuedBytes);
        if (!reserve(size)) {
            this.dropped.increment();
            this.drops.warn(() -> "A call event was dropped: the events waiting for callbacks hold more than "
                    + this.maxQueuedBytes / (1024 * 1024) + " MB, as callbacks are slower than the calls");
            return;
        }
        try {
            this.executor.execute(() -> {
                try {
                    this.listeners.forEach(listener -> listener.invoke(event));
                } finally {
                    this.queuedBytes.addAndGet(-size);
                }
            });
        } catch (RejectedExecutionException ex) {
            this.queuedBytes.addAndGet(-size);
            this.dropped.increment();
            this.drops.warn(() -> "A call event was dropped: the callback executor is saturated or shut down");
        }
    }

    /** How many events were dropped so far, beyond the bounds of those waiting or after {@link #close()}. */
    public long droppedEvents() {
        return this.dropped.sum();
    }

    /** Counts {@code size} as queued when it fits the bound, or when nothing else is queued. */
    private boolean reserve(long size) {
        long queued = this.queuedBytes.addAndGet(size);
        if (queued == size || queued <= this.maxQueuedBytes) {
            return true;
        }
        this.queuedBytes.addAndGet(-size);
        return false;
    }

    /** Stops taking events; those queued are still delivered. */
    @Override
    public void close() {
        this.executor.shutdown();
    }

    /** One callback, with the warnings about its failures. */
    private record Listener(CompletionCallback callback, ThrottledLog failures) {

        void invoke(CallEvent event) {
            try {
                if (event.error() == null) {
                    this.callback.onSuccess(event);
                } else {
                    this.callback.onFailure(event);
                }
            } catch (Throwable ex) {
                Exceptions.throwIfJvmFatal(ex);
                this.failures.warn(() -> "Callback " + this.callback.getClass().getName() + " failed: "
                        + ex.getClass().getSimpleName());
            }
        }
    }
}
