package io.github.litellmcache.cache;

/** Whether calls use the cache unless they opt out, or only when they opt in. */
public enum CacheMode {

    /** Every call uses the cache unless it sets {@code caching(false)}. */
    DEFAULT_ON,

    /** Only calls that set {@code caching(true)} use the cache. */
    DEFAULT_OFF
}
