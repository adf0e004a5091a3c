package io.github.litellmcache.cache.engine;

/**
 * How a call runs its steps. Both modes run the same pipeline, composed of {@link Step}s; in a
 * blocking call every step has run, on the caller's thread, when it is made (backend operations and
 * the provider are awaited there), so that no step runs on, or blocks, another thread, and a hit
 * costs no Reactor assembly.
 */
enum CallMode {

    /** {@code completion} and {@code embedding}: the caller's thread waits for each step. */
    BLOCKING,

    /** {@code acompletion}, {@code aembedding} and {@code streamCompletion}: nothing waits, on subscription. */
    REACTIVE
}
