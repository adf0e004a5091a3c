package io.github.litellmcache.testsupport;

/** A store a test can stop, as an outage would, and start again on the same port, keeping what it holds. */
public interface StoppableStore {

    /** Stops the store, as an outage would. */
    void stop();

    /** Starts the store again on the same port and waits until it serves. */
    void start();
}
