package io.github.litellmcache.autoconfigure;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheKeyGenerator;
import io.github.litellmcache.cache.CacheRecorder;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheStatistics;
import io.github.litellmcache.cache.DefaultCacheKeyGenerator;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.cache.engine.CacheInterceptor;
import io.github.litellmcache.callback.CallbackDispatcher;
import io.github.litellmcache.callback.CompletionCallback;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.ProviderRouter;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.Advisor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.RootClassFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Auto-configures the cache around every {@link CompletionService} bean: the key generator (on the
 * {@link ProviderRouter} of {@link LiteLlmCompletionAutoConfiguration}), {@link LlmCache} on the backend chosen by
 * {@code litellm.cache.type} (one configuration per backend) and its {@link LlmCacheLifecycle},
 * the callbacks and the infrastructure advisor that applies the {@link CacheInterceptor}. Each bean backs off to an
 * application's own.
 */
@AutoConfiguration(after = LiteLlmCompletionAutoConfiguration.class)
@EnableConfigurationProperties(LiteLlmCacheProperties.class)
@Import({
    LiteLlmCacheAutoConfiguration.AutoProxyRegistrar.class,
    LocalCacheConfiguration.class,
    RedisCacheConfiguration.class,
    S3CacheConfiguration.class,
    LiteLlmCacheAutoConfiguration.AdvisorConfiguration.class
})
public final class LiteLlmCacheAutoConfiguration {

    /** Threads that run callbacks. */
    private static final int CALLBACK_THREADS = 2;

    /** Events queued for callbacks before new ones are dropped. */
    private static final int CALLBACK_QUEUE = 10_000;

    /** The memory that the requests and responses of the events queued for callbacks may hold. */
    private static final long CALLBACK_QUEUE_BYTES = 64L * 1024 * 1024;

    @Bean
    @ConditionalOnMissingBean
    CacheKeyGenerator liteLlmCacheKeyGenerator(
            ProviderRouter router, ObjectProvider<LiteLlmProviderProperties> providers) {
        LiteLlmProviderProperties properties = providers.getIfAvailable();
        return new DefaultCacheKeyGenerator(
                router, properties != null && properties.getMock().isEnabled());
    }

    @Bean
    TypedCacheBackendFactory liteLlmCacheBackendFactory(ObjectProvider<CacheBackendRegistration> registrations) {
        return new TypedCacheBackendFactory(registrations.orderedStream().toList());
    }

    /** The guard of every backend, an application's own included. */
    @Bean
    BackendGuards liteLlmBackendGuards(LiteLlmCacheProperties properties, ObjectProvider<CacheRecorder> recorders) {
        return new BackendGuards(
                properties.toSettings().timeouts(), recorders.orderedStream().toList());
    }

    /**
     * Has the guards {@linkplain BackendGuards#follow follow} the {@link LlmCache}, an application's own included: a
     * remote backend's warm-up starts, and the meters move to it, as soon as the cache is handed it, at startup and by
     * {@code LlmCache.update}. Once every singleton is made, as an application's cache may depend on the guards.
     */
    @Bean
    SmartInitializingSingleton liteLlmBackendGuardsFollowingTheCache(
            ObjectProvider<LlmCache> cache, BackendGuards guards) {
        return () -> cache.ifUnique(guards::follow);
    }

    /**
     * The cache, on the application's own {@link CacheBackend} bean if it has one, which the cache never closes; else on
     * a backend made from {@code litellm.cache.*}, which the cache owns. That backend is no bean of its own, as
     * {@link LlmCache#update} and a restart of the context replace it: {@link LlmCache#backend()} is the one in use.
     */
    @Bean
    @ConditionalOnMissingBean
    LlmCache llmCache(
            LiteLlmCacheProperties properties,
            ObjectProvider<CacheBackend> ownBackend,
            TypedCacheBackendFactory factory) {
        CacheSettings settings = properties.toSettings();
        CacheBackend own = ownBackend.getIfAvailable();
        CacheBackend backend = (own != null) ? own : factory.create(settings);
        return new LlmCache(settings, properties.isEnabled(), backend, own == null, factory);
    }

    /** Stops the cache as the context stops, after the web server's drain, before the connection factories stop. */
    @Bean
    @ConditionalOnMissingBean
    LlmCacheLifecycle liteLlmCacheLifecycle(LlmCache cache) {
        return new LlmCacheLifecycle(cache);
    }

    @Bean
    CallbackDispatcher liteLlmCallbackDispatcher(ObjectProvider<CompletionCallback> callbacks) {
        return CallbackDispatcher.create(
                callbacks.orderedStream().toList(), CALLBACK_THREADS, CALLBACK_QUEUE, CALLBACK_QUEUE_BYTES);
    }

    @Bean
    CacheStatistics liteLlmCacheStatistics() {
        return new CacheStatistics();
    }

    @Bean
    CacheInterceptor liteLlmCacheInterceptor(
            LlmCache cache,
            CacheKeyGenerator keyGenerator,
            BackendGuards guards,
            CallbackDispatcher callbacks,
            ObjectProvider<CacheRecorder> recorders,
            ObjectProvider<ObservationRegistry> observations) {
        return new CacheInterceptor(
                cache,
                keyGenerator,
                guards,
                callbacks,
                recorders.orderedStream().toList(),
                observations.getIfUnique(() -> ObservationRegistry.NOOP),
                Clock.systemUTC());
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
            return new DefaultPointcutAdvisor(
                    new ComposablePointcut(new RootClassFilter(CompletionService.class)),
                    new LazyInterceptor(interceptor));
        }
    }

    /** Resolves the {@link CacheInterceptor} on the first call and keeps it. */
    private static final class LazyInterceptor implements MethodInterceptor {

        private final ObjectProvider<CacheInterceptor> provider;

        private volatile @Nullable CacheInterceptor interceptor;

        LazyInterceptor(ObjectProvider<CacheInterceptor> provider) {
            this.provider = provider;
        }

        @Override
        public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
            CacheInterceptor resolved = this.interceptor;
            if (resolved == null) {
                resolved = this.provider.getObject();
                this.interceptor = resolved;
            }
            return resolved.invoke(invocation);
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
