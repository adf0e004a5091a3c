package io.github.litellmcache.cache;

import io.github.litellmcache.display.PropertyValues;

/**
 * How a call's wait for an identical call ended (the {@code outcome} tag of {@code litellm.cache.flight.waits}).
 */
public enum FlightWaitOutcome {

    /** The other call's answer answered this one: a provider call saved. */
    ANSWERED,

    /**
     * The other call ended without an answer this call could take (it failed, or its answer did not fit): this call
     * went on, with its own call or a wait for a second flight.
     */
    RETRIED,

    /** The wait outlasted the request's own {@code timeout}. */
    TIMED_OUT,

    /**
     * The other call's error, the provider's, ended this call too: only in a second flight in the instance, after a
     * first one failed.
     */
    FAILED;

    /** The tag value: {@code answered}, {@code retried}, {@code timed-out} or {@code failed}. */
    public String tagValue() {
        return PropertyValues.of(this);
    }
}
