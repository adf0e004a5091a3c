package io.github.litellmcache.cache;

/** The kinds of call the cache can serve (property values {@code completion}, {@code acompletion}, ...). */
public enum CallType {

    /** {@code CompletionService.completion}. */
    COMPLETION,

    /** {@code CompletionService.acompletion} and {@code streamCompletion}. */
    ACOMPLETION,

    /** {@code CompletionService.embedding}. */
    EMBEDDING,

    /** {@code CompletionService.aembedding}. */
    AEMBEDDING
}
