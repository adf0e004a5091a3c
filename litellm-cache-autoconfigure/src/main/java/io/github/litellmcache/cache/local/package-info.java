/** The in-process cache backend, on Caffeine. */
@NullMarked
package io.github.litellmcache.cache.local;

import org.jspecify.annotations.NullMarked;
