package io.github.litellmcache.cache.engine;

/**
 * How a call runs its steps. Both modes run the same pipeline of {@code Mono}s; in a blocking call
 * every step completes on the caller's thread before the next one starts (backend operations and
 * the provider are awaited there), so that no step runs on, or blocks, another thread.
 */
enum CallMode {

    /** {@code completion} and {@code embedding}: the caller's thread waits for each step. */
    BLOCKING,

    /** {@code acompletion}, {@code aembedding} and {@code streamCompletion}: nothing waits, on subscription. */
    REACTIVE
}
