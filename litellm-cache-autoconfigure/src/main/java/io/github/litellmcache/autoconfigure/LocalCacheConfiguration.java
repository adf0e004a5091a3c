package io.github.litellmcache.autoconfigure;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.cache.local.LocalCacheBackend;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Makes {@code litellm.cache.type: local} available when Caffeine is on the classpath. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Caffeine.class)
class LocalCacheConfiguration {

    @Bean
    CacheBackendRegistration liteLlmLocalCacheBackend() {
        return new CacheBackendRegistration(CacheType.LOCAL, settings -> new LocalCacheBackend(settings.local()));
    }
}
