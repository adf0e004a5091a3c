package io.github.litellmcache.autoconfigure;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheInterceptor;
import io.github.litellmcache.cache.CacheKeyGenerator;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.cache.DefaultCacheKeyGenerator;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.local.LocalCacheBackend;
import io.github.litellmcache.callback.CallbackDispatcher;
import io.github.litellmcache.callback.CompletionCallback;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.ProviderRouter;
import java.time.Clock;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.Advisor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.RootClassFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Auto-configures the cache around every {@link CompletionService} bean: the key generator, the
 * backend chosen by {@code litellm.cache.type}, {@link LlmCache}, the callbacks and the
 * infrastructure advisor that applies the {@link CacheInterceptor}. Each bean backs off to an
 * application's own.
 */
@AutoConfiguration(after = LiteLlmCompletionAutoConfiguration.class)
@EnableConfigurationProperties({LiteLlmCacheProperties.class, LiteLlmProperties.class})
@Import({
    LiteLlmCacheAutoConfiguration.AutoProxyRegistrar.class,
    LiteLlmCacheAutoConfiguration.LocalCacheConfiguration.class,
    LiteLlmCacheAutoConfiguration.AdvisorConfiguration.class
})
public final class LiteLlmCacheAutoConfiguration {

    /** Threads that run callbacks. */
    private static final int CALLBACK_THREADS = 2;

    /** Events queued for callbacks before new ones are dropped. */
    private static final int CALLBACK_QUEUE = 10_000;

    @Bean
    @ConditionalOnMissingBean
    CacheKeyGenerator liteLlmCacheKeyGenerator(
            ObjectProvider<ProviderRouter> router, LiteLlmProperties properties, Environment environment) {
        return new DefaultCacheKeyGenerator(router.getIfAvailable(
                () -> LiteLlmCompletionAutoConfiguration.providerRouter(properties, environment)));
    }

    @Bean
    TypedCacheBackendFactory liteLlmCacheBackendFactory(ObjectProvider<CacheBackendRegistration> registrations) {
        return new TypedCacheBackendFactory(registrations.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    CacheBackend liteLlmCacheBackend(LiteLlmCacheProperties properties, TypedCacheBackendFactory factory) {
        return factory.create(properties.toSettings());
    }

    @Bean
    @ConditionalOnMissingBean
    LlmCache llmCache(LiteLlmCacheProperties properties, CacheBackend backend, TypedCacheBackendFactory factory) {
        CacheSettings settings = properties.toSettings();
        return new LlmCache(settings, properties.isEnabled(), backend, factory);
    }

    @Bean
    CallbackDispatcher liteLlmCallbackDispatcher(ObjectProvider<CompletionCallback> callbacks) {
        return CallbackDispatcher.create(callbacks.orderedStream().toList(), CALLBACK_THREADS, CALLBACK_QUEUE);
    }

    @Bean
    CacheInterceptor liteLlmCacheInterceptor(
            LlmCache cache,
            CacheKeyGenerator keyGenerator,
            CallbackDispatcher callbacks,
            LiteLlmCacheProperties properties) {
        return new CacheInterceptor(cache, keyGenerator, callbacks, properties.getTimeout(), Clock.systemUTC());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Caffeine.class)
    static class LocalCacheConfiguration {

        @Bean
        CacheBackendRegistration liteLlmLocalCacheBackend(LiteLlmCacheProperties properties) {
            long maximumSize = properties.getLocal().getMaximumSize();
            return new CacheBackendRegistration(CacheType.LOCAL, settings -> new LocalCacheBackend(maximumSize));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static class AdvisorConfiguration {

        /**
         * Infrastructure role, because without AspectJ Boot only auto-proxies infrastructure
         * advisors. The interceptor is resolved on the first call, so that collecting advisors
         * creates no backend.
         */
        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static Advisor liteLlmCacheAdvisor(ObjectProvider<CacheInterceptor> interceptor) {
            MethodInterceptor lazy = invocation -> interceptor.getObject().invoke(invocation);
            return new DefaultPointcutAdvisor(
                    new ComposablePointcut(new RootClassFilter(CompletionService.class)), lazy);
        }
    }

    /** Registers an auto-proxy creator unless the application already has one (as {@code @EnableCaching} does). */
    static class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        }
    }
}
