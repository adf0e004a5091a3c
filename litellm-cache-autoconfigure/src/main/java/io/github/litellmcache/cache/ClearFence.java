package io.github.litellmcache.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the answer of a call begun before {@link LlmCache#clear()} from being stored after it: each call belongs to the
 * {@linkplain #current() generation} current when it began, and writes only while that generation is open. A clear
 * ends the generation, so that its writes not yet begun are dropped, waits for those already begun to end, and only
 * then removes the entries, those writes' included. A write begun before the clear and abandoned at the backend's
 * deadline ({@code litellm.cache.timeout}) counts as ended, though a slow store may still carry it out.
 */
public final class ClearFence {

    private volatile Generation current = new Generation();

    /** The generation of a call beginning now. */
    public Generation current() {
        return this.current;
    }

    /**
     * Ends the current generation, waits for its writes begun, then runs {@code clear}; one clear at a time, so that a
     * clear never returns while a write of a generation another clear ended may still land.
     */
    synchronized void clear(Runnable clear) {
        Generation ended = this.current;
        this.current = new Generation();
        ended.end().join();
        clear.run();
    }

    /** The calls begun between two clears, and their writes under way. */
    public static final class Generation {

        private final AtomicInteger writes = new AtomicInteger();

        private final CompletableFuture<Void> drained = new CompletableFuture<>();

        private volatile boolean ended;

        private Generation() {}

        /**
         * Begins a write of a call of this generation, which then {@linkplain #endWrite() ends} it however it goes;
         * false when a clear has ended the generation, and the write must not be made.
         */
        public boolean beginWrite() {
            this.writes.incrementAndGet();
            if (this.ended) {
                endWrite();
                return false;
            }
            return true;
        }

        /** Ends a write that {@link #beginWrite()} let begin. */
        public void endWrite() {
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
