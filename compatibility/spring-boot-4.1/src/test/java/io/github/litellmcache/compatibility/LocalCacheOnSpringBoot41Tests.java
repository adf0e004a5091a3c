package io.github.litellmcache.compatibility;

import org.junit.jupiter.api.BeforeAll;

/** The starter's local cache in an application on Spring Boot 4.1. */
class LocalCacheOnSpringBoot41Tests extends StarterOnSpringBoot41 {

    @BeforeAll
    static void startOnTheLocalCache() {
        start("litellm.cache.type=local");
    }
}
