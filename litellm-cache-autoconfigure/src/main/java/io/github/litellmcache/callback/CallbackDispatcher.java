package io.github.litellmcache.callback;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Exceptions;

/**
 * Hands each {@link CallEvent} to every {@link CompletionCallback} on an executor, so that callbacks
 * never run on, fail or delay the caller's thread.
 */
public final class CallbackDispatcher implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(CallbackDispatcher.class);

    private final List<CompletionCallback> callbacks;
    private final ExecutorService executor;

    /** Dispatches to {@code callbacks} on {@code executor}, which {@link #close()} shuts down. */
    public CallbackDispatcher(List<CompletionCallback> callbacks, ExecutorService executor) {
        this.callbacks = List.copyOf(callbacks);
        this.executor = executor;
    }

    /**
     * Dispatches to {@code callbacks} on up to {@code threads} daemon threads, queueing at most
     * {@code queueCapacity} events; events beyond it are dropped with a warning.
     */
    public static CallbackDispatcher create(List<CompletionCallback> callbacks, int threads, int queueCapacity) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queueCapacity), task -> {
                    Thread thread = new Thread(task, "litellm-callback-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return new CallbackDispatcher(callbacks, executor);
    }

    /** Whether any callback listens, so that callers can skip building events. */
    public boolean hasCallbacks() {
        return !this.callbacks.isEmpty();
    }

    public void dispatch(CallEvent event) {
        if (this.callbacks.isEmpty()) {
            return;
        }
        try {
            this.executor.execute(() -> this.callbacks.forEach(callback -> invoke(callback, event)));
        } catch (RejectedExecutionException ex) {
            logger.warn("A call event was dropped: the callback executor is saturated or shut down");
        }
    }

    private static void invoke(CompletionCallback callback, CallEvent event) {
        try {
            if (event.error() == null) {
                callback.onSuccess(event);
            } else {
                callback.onFailure(event);
            }
        } catch (Throwable ex) {
            Exceptions.throwIfJvmFatal(ex);
            logger.warn("Callback " + callback.getClass().getName() + " failed: "
                    + ex.getClass().getSimpleName());
        }
    }

    /** Stops taking events; those queued are still delivered. */
    @Override
    public void close() {
        this.executor.shutdown();
    }
}
