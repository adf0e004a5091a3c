package io.github.litellmcache.cache.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheRecorder;
import io.github.litellmcache.cache.FlightScope;
import io.github.litellmcache.cache.FlightWaitOutcome;
import io.github.litellmcache.completion.LlmException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;

/** How a follower's wait in the instance ends, as told to the recorders: once, and never for its own caller's end. */
class FlightWaitTests {

    private final List<FlightWaitOutcome> told = new CopyOnWriteArrayList<>();

    private final CacheRecorder recorder = new CacheRecorder() {
        @Override
        public void recordFlightWait(FlightScope scope, FlightWaitOutcome outcome, long nanos) {
            FlightWaitTests.this.told.add(outcome);
        }
    };

    private FlightWait waiting() {
        return new FlightWait(List.of(this.recorder), FlightScope.INSTANCE);
    }

    @Test
    void aWaitEndedByTheLeadersProviderErrorEndsFailedAndIsToldOnce() {
        FlightWait wait = waiting();
        wait.endWith(null, new LlmException(503, "overloaded"));
        wait.endWith(null, new CancellationException("the caller cancelled"));
        assertThat(this.told).containsExactly(FlightWaitOutcome.FAILED);
    }

    @Test
    void aWaitItsCallerCancelledOrInterruptedIsNotTold() {
        waiting().endWith(null, new CancellationException("the caller cancelled"));
        waiting().endWith(null, Exceptions.propagate(new InterruptedException()));
        assertThat(this.told).isEmpty();
    }
}
