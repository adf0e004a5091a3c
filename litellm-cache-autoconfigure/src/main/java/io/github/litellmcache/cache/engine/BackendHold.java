package io.github.litellmcache.cache.engine;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A call's hold on its backend ({@code LlmCache#acquire}), ended once the call has ended and so has the flight it
 * leads, if any: a flight's leader whose caller cancelled still obtains the answer for the followers, and stores it,
 * on the backend it started with, which {@code LlmCache#update} must not close before.
 */
final class BackendHold {

    private final AtomicInteger holders = new AtomicInteger(1);

    private final Runnable release;

    BackendHold(Runnable release) {
        this.release = release;
    }

    /** Keeps the hold until {@code flight} has ended too; false when the call has already ended, and let it go. */
    boolean until(SingleFlight.Flight flight) {
        if (this.holders.getAndUpdate(count -> (count == 0) ? 0 : count + 1) == 0) {
            return false;
        }
        flight.whenEnded(this::end);
        return true;
    }

    /** One holder (the call, or the flight it leads) has ended; the last ends the hold. */
    void end() {
        if (this.holders.decrementAndGet() == 0) {
            this.release.run();
        }
    }
}
