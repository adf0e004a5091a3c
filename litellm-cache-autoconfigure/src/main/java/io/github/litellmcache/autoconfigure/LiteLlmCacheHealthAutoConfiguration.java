package io.github.litellmcache.autoconfigure;

import io.github.litellmcache.actuate.LlmCacheHealthIndicator;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.engine.BackendGuards;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code litellmCache} health contributor ({@link LlmCacheHealthIndicator}), when Boot's health
 * support is on the classpath; {@code management.health.litellm-cache.enabled=false} switches it off.
 */
@AutoConfiguration(after = LiteLlmCacheAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
public final class LiteLlmCacheHealthAutoConfiguration {

    /** Nested, so that the health conditions are only read once their classes are known to be there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(LlmCache.class)
    @ConditionalOnEnabledHealthIndicator("litellm-cache")
    static class HealthIndicatorConfiguration {

        /** Named so that the contributor is {@code litellmCache}. */
        @Bean
        @ConditionalOnMissingBean(name = "litellmCacheHealthIndicator")
        LlmCacheHealthIndicator litellmCacheHealthIndicator(LlmCache cache, BackendGuards guards) {
            return new LlmCacheHealthIndicator(cache, guards);
        }
    }
}
