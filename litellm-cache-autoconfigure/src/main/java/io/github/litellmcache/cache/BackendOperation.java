package io.github.litellmcache.cache;

import io.github.litellmcache.display.PropertyValues;

/** A kind of backend operation, timed and counted (the {@code operation} tag of the backend meters). */
public enum BackendOperation {

    /** A read of one entry or of several. */
    READ,

    /** A write of one entry or of several. */
    WRITE;

    /** The tag value: {@code read} or {@code write}. */
    public String tagValue() {
        return PropertyValues.of(this);
    }
}
