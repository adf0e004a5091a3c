package io.github.litellmcache.autoconfigure;

import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.cache.near.RedisTracking;
import io.github.litellmcache.cache.redis.RedisCacheBackendFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Makes {@code litellm.cache.type: redis} available when Spring Data Redis and Lettuce are on the classpath. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(
        value = {RedisConnectionFactory.class, LettuceConnectionFactory.class},
        name = "io.lettuce.core.RedisClient")
class RedisCacheConfiguration {

    /**
     * A dedicated connection when the settings name a host, otherwise the application's {@link RedisConnectionFactory};
     * with a near tier when {@code litellm.cache.near.enabled}.
     */
    @Bean
    CacheBackendRegistration liteLlmRedisCacheBackend(ObjectProvider<RedisConnectionFactory> applicationFactory) {
        RedisCacheBackendFactory redis = new RedisCacheBackendFactory(applicationFactory::getIfAvailable);
        return new CacheBackendRegistration(
                CacheType.REDIS, settings -> RedisTracking.over(redis.create(settings.redis()), settings.near()));
    }
}
