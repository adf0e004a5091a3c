package io.github.litellmcache.autoconfigure;

import io.github.litellmcache.actuate.MicrometerCacheMetrics;
import io.github.litellmcache.cache.engine.CacheInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The cache's Micrometer meters ({@code litellm.cache.*}), when Micrometer is on the classpath:
 * {@link MicrometerCacheMetrics} is both the {@link MeterBinder} that Boot binds to the
 * application's registry and a recorder that the {@link CacheInterceptor} tells about every call.
 */
@AutoConfiguration(before = LiteLlmCacheAutoConfiguration.class)
@ConditionalOnClass({MeterRegistry.class, MeterBinder.class})
public final class LiteLlmCacheMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MicrometerCacheMetrics liteLlmCacheMetrics() {
        return new MicrometerCacheMetrics();
    }
}
