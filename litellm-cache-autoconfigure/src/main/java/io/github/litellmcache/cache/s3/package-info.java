/**
 * The S3 cache backend, on the AWS SDK v2 (Spring Cloud AWS): a durable cache shared through a bucket, with every S3
 * parameter of LiteLLM's cache.
 */
@NullMarked
package io.github.litellmcache.cache.s3;

import org.jspecify.annotations.NullMarked;
