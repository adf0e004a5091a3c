package io.github.litellmcache.autoconfigure;

import io.github.litellmcache.actuate.CacheStateMetrics;
import io.github.litellmcache.actuate.MicrometerCacheMetrics;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.cache.engine.CacheInterceptor;
import io.github.litellmcache.callback.CallbackDispatcher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The cache's Micrometer meters ({@code litellm.cache.*}), when Micrometer is on the classpath:
 * {@link MicrometerCacheMetrics} is both the {@link MeterBinder} that Boot binds to the
 * application's registry and a recorder that the {@link CacheInterceptor} tells about every call;
 * {@link CacheStateMetrics} is the state that the registry reads (the circuit breakers, the in-process tiers, the
 * callback events dropped).
 */
@AutoConfiguration(before = LiteLlmCacheAutoConfiguration.class)
@ConditionalOnClass({MeterRegistry.class, MeterBinder.class})
public final class LiteLlmCacheMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MicrometerCacheMetrics liteLlmCacheMetrics() {
        return new MicrometerCacheMetrics();
    }

    @Bean
    @ConditionalOnMissingBean
    CacheStateMetrics liteLlmCacheStateMetrics(BackendGuards guards, CallbackDispatcher callbacks) {
        return new CacheStateMetrics(guards, callbacks);
    }
}
