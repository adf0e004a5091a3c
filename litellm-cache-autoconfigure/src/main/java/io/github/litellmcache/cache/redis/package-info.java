/** The Redis cache backend, on Spring Data Redis with Lettuce: one cache shared by every instance of an application. */
@NullMarked
package io.github.litellmcache.cache.redis;

import org.jspecify.annotations.NullMarked;
