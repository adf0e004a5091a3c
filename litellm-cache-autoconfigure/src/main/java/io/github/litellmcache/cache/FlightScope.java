package io.github.litellmcache.cache;

import io.github.litellmcache.display.PropertyValues;

/**
 * Where the identical call that a call waited for runs (the {@code scope} tag of {@code litellm.cache.flight.waits}).
 */
public enum FlightScope {

    /** The call in flight in this instance (single flight). */
    INSTANCE,

    /** The call holding the key's fleet lease in the store shared by the instances, on this instance or another. */
    FLEET;

    /** The tag value: {@code instance} or {@code fleet}. */
    public String tagValue() {
        return PropertyValues.of(this);
    }
}
