package io.github.litellmcache.cache;

import io.github.litellmcache.display.PropertyValues;
import io.github.litellmcache.display.ThrottledLog;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps the answer of a call begun before {@link LlmCache#clear()} from being stored after it: each call belongs to the
 * {@linkplain #current() generation} current when it began, and writes only while that generation is open. A clear
 * ends the generation, so that its writes not yet begun are dropped, waits for those already begun to end, and only
 * then removes the entries, those writes' included. A write begun before the clear and abandoned at the backend's
 * deadline ({@code litellm.cache.timeout}) counts as ended, though a slow store may still carry it out. The wait is
 * bounded ({@link Timeouts#longestWrite()}): a write still under way then (an application's own in-process backend
 * whose writes do not return, the later batches of a bulk write) is logged, and once it ends its keys are removed from
 * the backend it wrote to, in the background ({@link CacheBackend#remove}). Until then its answer may be served; and
 * an identical call begun after the clear may have stored its own answer under the same key meanwhile, which that
 * removal drops too: a miss, never a pre-clear answer.
 */
public final class ClearFence {

    private static final Log logger = LogFactory.getLog(ClearFence.class);

    private static final ThrottledLog lateWrites = new ThrottledLog(logger, Duration.ofSeconds(10));

    private volatile Generation current = new Generation();

    /** The generation of a call beginning now. */
    public Generation current() {
        return this.current;
    }

    /**
     * Ends the current generation, waits for its writes begun, at most {@code maxWait}, then runs {@code clear}; one
     * clear at a time, so that a clear never returns while a write of a generation another clear ended may still land,
     * unless that write outlasted the wait.
     */
    synchronized void clear(Runnable clear, Duration maxWait) {
        Generation ended = this.current;
        this.current = new Generation();
        try {
            ended.end()
                    .copy()
                    .orTimeout(maxWait.toNanos(), TimeUnit.NANOSECONDS)
                    .join();
        } catch (CompletionException late) {
            ended.late = true;
            lateWrites.warn(() -> "The cache was cleared after waiting " + PropertyValues.of(maxWait) + " for "
                    + ended.writes.get() + " writes begun before it, which had not ended: a backend whose writes do "
                    + "not return in time; they may still store their answers after the clear, removed as each ends");
        }
        clear.run();
    }

    /** Removes what a write that ended after the clear stored; nothing when its backend was closed meanwhile. */
    private static void removeLateWrite(CacheBackend backend, Collection<CacheKey> keys) {
        try {
            backend.remove(keys);
        } catch (RuntimeException ex) {
            if (ex instanceof CacheBackendClosedException) {
                return;
            }
            lateWrites.warn(() -> "Removing what a write begun before a clear stored after it failed on the "
                    + backend.name() + " cache backend (" + ex.getClass().getSimpleName() + "): it may be served");
        }
    }

    /** The calls begun between two clears, and their writes under way. */
    public static final class Generation {

        private final AtomicInteger writes = new AtomicInteger();

        private final CompletableFuture<Void> drained = new CompletableFuture<>();

        private volatile boolean ended;

        /** Whether a clear stopped waiting for the writes still under way, which it then did not remove. */
        private volatile boolean late;

        private Generation() {}

        /**
         * Begins a write of a call of this generation, which then {@linkplain #endWrite(CacheBackend, Collection)
         * ends} it however it goes; false when a clear has ended the generation, and the write must not be made.
         */
        public boolean beginWrite() {
            this.writes.incrementAndGet();
            if (this.ended) {
                writeEnded();
                return false;
            }
            return true;
        }

        /**
         * Ends a write of {@code keys} to {@code backend} that {@link #beginWrite()} let begin; when the clear that
         * ended this generation stopped waiting for it, removes them, in the background.
         */
        public void endWrite(CacheBackend backend, Collection<CacheKey> keys) {
            writeEnded();
            if (this.late) {
                BackgroundWork.run("litellm-cache-late-write-removal", () -> removeLateWrite(backend, keys));
            }
        }

        private void writeEnded() {
            if (this.writes.decrementAndGet() == 0 && this.ended) {
                this.drained.complete(null);
            }
        }

        /** Refuses later writes; completes once the writes begun have ended. */
        private CompletableFuture<Void> end() {
            this.ended = true;
            if (this.writes.get() == 0) {
                this.drained.complete(null);
            }
            return this.drained;
        }
    }
}
