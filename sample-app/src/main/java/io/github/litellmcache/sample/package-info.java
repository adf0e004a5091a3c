/** The sample application and its cache-hit logging callback. */
@NullMarked
package io.github.litellmcache.sample;

import org.jspecify.annotations.NullMarked;
