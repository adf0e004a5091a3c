package io.github.litellmcache.testsupport;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Reactor's shared worker threads ({@link Schedulers#boundedElastic()}) with their task queue full, as under a flood
 * of blocking work, until closed: each task given to them is refused as Reactor refuses it then.
 */
public final class FullReactorWorkerQueue implements AutoCloseable {

    private FullReactorWorkerQueue() {}

    /** Fills the queue; {@link #close()} empties it. */
    public static FullReactorWorkerQueue fill() {
        Schedulers.setFactory(new Schedulers.Factory() {

            @Override
            public Scheduler newBoundedElastic(
                    int threadCap, int queuedTaskCap, ThreadFactory threadFactory, int ttlSeconds) {
                return Schedulers.fromExecutor(task -> {
                    throw new RejectedExecutionException("Task capacity of bounded elastic scheduler reached");
                });
            }
        });
        return new FullReactorWorkerQueue();
    }

    @Override
    public void close() {
        Schedulers.resetFactory();
    }
}
