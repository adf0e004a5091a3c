/**
 * The call engine: the interceptor that maps each {@code CompletionService} method to its call
 * type, the caching policy, the one pipeline that serves whole responses, embedding items and
 * chunked streams, single-flight, and the guard around every backend.
 */
@NullMarked
package io.github.litellmcache.cache.engine;

import org.jspecify.annotations.NullMarked;
