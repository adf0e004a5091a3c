package io.github.litellmcache.cache;

/** Where entries are stored (property values {@code local}, {@code redis}, {@code s3}). */
public enum CacheType {

    /** In process, on Caffeine. */
    LOCAL,

    /** In Redis, through Spring Data Redis; shared by every instance of an application. */
    REDIS,

    /** In an S3 bucket, through Spring Cloud AWS. */
    S3
}
