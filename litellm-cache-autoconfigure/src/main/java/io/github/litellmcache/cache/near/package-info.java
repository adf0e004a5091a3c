/**
 * The near tier: entries of Redis or S3 held in process, read first, kept coherent with Redis by its
 * invalidation messages and bounded in age for S3.
 */
@NullMarked
package io.github.litellmcache.cache.near;

import org.jspecify.annotations.NullMarked;
