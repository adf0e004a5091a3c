package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.BackendOperation;

/**
 * What the engine asks of a backend: one entry or several, read or written. Each runs code of its own in a backend
 * (a {@code GET} against an {@code MGET}, one request against a round of them), which a cold JVM has not loaded the
 * first time, so each is given the warm-up's deadline until it first answers ({@link RemoteProtection}).
 */
enum Operation {
    READ(BackendOperation.READ),
    READ_ALL(BackendOperation.READ),
    WRITE(BackendOperation.WRITE),
    WRITE_ALL(BackendOperation.WRITE);

    private final BackendOperation kind;

    Operation(BackendOperation kind) {
        this.kind = kind;
    }

    /** The kind it is timed and counted as. */
    BackendOperation kind() {
        return this.kind;
    }
}
