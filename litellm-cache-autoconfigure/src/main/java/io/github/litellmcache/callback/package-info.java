/** Cache-hit reporting: {@link io.github.litellmcache.callback.CompletionCallback} beans invoked after each call. */
@NullMarked
package io.github.litellmcache.callback;

import org.jspecify.annotations.NullMarked;
