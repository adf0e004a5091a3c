package io.github.litellmcache.cache;

import java.util.concurrent.RejectedExecutionException;
import reactor.core.scheduler.Schedulers;

/**
 * Work that blocks, so must leave the thread that asks for it (an event loop, a call's own thread), and must not be
 * lost: it runs on Reactor's shared worker threads or, when their queue is full, on a thread of its own.
 */
public final class BackgroundWork {

    private BackgroundWork() {}

    /** Runs {@code work} in the background; a thread of its own, called {@code threadName}, when the workers are full. */
    public static void run(String threadName, Runnable work) {
        try {
            Schedulers.boundedElastic().schedule(work);
        } catch (RejectedExecutionException full) {
            Thread thread = new Thread(work, threadName);
            thread.setDaemon(true);
            thread.start();
        }
    }
}
