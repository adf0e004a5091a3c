package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheRecorder;
import io.github.litellmcache.cache.FlightScope;
import io.github.litellmcache.cache.FlightWaitOutcome;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;

/**
 * One call's wait for an identical call, timed from its start and told to the recorders once, as it ends. Only a
 * call that waits makes one: a hit never does.
 */
final class FlightWait {

    private final List<CacheRecorder> recorders;
    private final FlightScope scope;
    private final long start = System.nanoTime();
    private final AtomicBoolean ended = new AtomicBoolean();

    FlightWait(List<CacheRecorder> recorders, FlightScope scope) {
        this.recorders = recorders;
        this.scope = scope;
    }

    /** The wait ended with {@code outcome}; later ends are not told. */
    void end(FlightWaitOutcome outcome) {
        if (this.ended.compareAndSet(false, true)) {
            long nanos = System.nanoTime() - this.start;
            for (CacheRecorder recorder : this.recorders) {
                recorder.recordFlightWait(this.scope, outcome, nanos);
            }
        }
    }

    /**
     * The wait for a flight in this instance ended with {@code answer}, the leader's answer that this call takes, or
     * nothing when it goes on, or with {@code error}: its timeout outlasted, the leader's error it shares, or its own
     * caller's cancellation or interrupt, which is not told.
     */
    void endWith(@Nullable Object answer, @Nullable Throwable error) {
        if (error == null) {
            end((answer != null) ? FlightWaitOutcome.ANSWERED : FlightWaitOutcome.RETRIED);
        } else if (SingleFlight.isOutlasted(error)) {
            end(FlightWaitOutcome.TIMED_OUT);
        } else if (error instanceof CancellationException || Exceptions.unwrap(error) instanceof InterruptedException) {
            this.ended.set(true);
        } else {
            end(FlightWaitOutcome.FAILED);
        }
    }
}
