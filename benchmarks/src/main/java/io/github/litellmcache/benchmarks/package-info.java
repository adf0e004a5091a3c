/** JMH benchmarks of the cache hit path and of key generation. */
@NullMarked
package io.github.litellmcache.benchmarks;

import org.jspecify.annotations.NullMarked;
