package io.github.litellmcache.cache.engine;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The threads of health probes, apart from Reactor's shared workers: an application that keeps every worker busy
 * must not make a store that answers look DOWN. At most two threads, which end after a few idle seconds (so none
 * outlives its application context for long), and at most 64 probes waiting: a flood of health requests is refused
 * rather than given threads.
 */
final class ProbeThreads {

    private static final AtomicInteger count = new AtomicInteger();

    static final Scheduler SCHEDULER = Schedulers.fromExecutorService(executor(), "litellm-cache-probe");

    private ProbeThreads() {}

    private static ThreadPoolExecutor executor() {
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(2, 2, 5, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), task -> {
                    Thread thread = new Thread(task, "litellm-cache-probe-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
