/** Calling a model: {@link io.github.litellmcache.completion.CompletionService}, its request and response types and the provider client. */
@NullMarked
package io.github.litellmcache.completion;

import org.jspecify.annotations.NullMarked;
