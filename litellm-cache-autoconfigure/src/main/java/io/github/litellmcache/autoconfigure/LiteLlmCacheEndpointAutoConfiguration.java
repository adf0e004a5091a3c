package io.github.litellmcache.autoconfigure;

import io.github.litellmcache.actuate.LlmCacheEndpoint;
import io.github.litellmcache.cache.CacheStatistics;
import io.github.litellmcache.cache.LlmCache;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code litellmcache} Actuator endpoint ({@link LlmCacheEndpoint}), when Actuator is on the
 * classpath and the application exposes the endpoint.
 */
@AutoConfiguration(after = LiteLlmCacheAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
public final class LiteLlmCacheEndpointAutoConfiguration {

    /** Nested, so that Actuator's conditions are only read once its classes are known to be there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean({LlmCache.class, CacheStatistics.class})
    @ConditionalOnAvailableEndpoint(LlmCacheEndpoint.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        LlmCacheEndpoint liteLlmCacheEndpoint(LlmCache cache, CacheStatistics statistics) {
            return new LlmCacheEndpoint(cache, statistics);
        }
    }
}
