package io.github.litellmcache.cache.redis;

import io.github.litellmcache.cache.CacheConfigurationException;
import io.github.litellmcache.cache.RedisConnection;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Creates the Redis backend of a {@link RedisConnection}: a dedicated connection when it names a host, otherwise the
 * application's {@link RedisConnectionFactory} ({@code spring.data.redis.*}), which must be reactive (Lettuce). What is
 * missing fails with a {@link CacheConfigurationException} naming the properties to set; a password or port set
 * without a host, which the application's connection ignores, is warned about.
 */
public final class RedisCacheBackendFactory {

    private static final Log logger = LogFactory.getLog(RedisCacheBackendFactory.class);

    /** Longest wait for a dedicated connection, made off the caller's thread. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final Supplier<@Nullable RedisConnectionFactory> applicationFactory;

    /** @param applicationFactory the application's connection factory, if any */
    public RedisCacheBackendFactory(Supplier<@Nullable RedisConnectionFactory> applicationFactory) {
        this.applicationFactory = applicationFactory;
    }

    /** A new backend for {@code redis}. */
    public RedisCacheBackend create(RedisConnection redis) {
        if (redis.isDedicated()) {
            return RedisCacheBackend.dedicated(
                    Objects.requireNonNull(redis.host()),
                    redis.port(),
                    redis.password(),
                    redis.keyPrefix(),
                    CONNECT_TIMEOUT,
                    redis.fleetSingleFlight());
        }
        if (redis.password() != null || redis.port() != RedisConnection.DEFAULT_PORT) {
            logger.warn("litellm.cache.redis.password or litellm.cache.redis.port is set, but"
                    + " litellm.cache.redis.host is not: the cache uses the application's Redis connection"
                    + " (spring.data.redis.*) and ignores them. Set litellm.cache.redis.host for a dedicated"
                    + " connection.");
        }
        RedisConnectionFactory factory = this.applicationFactory.get();
        if (factory == null) {
            throw new CacheConfigurationException(
                    "litellm.cache.type is redis but no Redis connection is configured.",
                    "Set litellm.cache.redis.host (and port, password), or configure the application's"
                            + " Redis connection with spring.data.redis.*.");
        }
        if (!(factory instanceof ReactiveRedisConnectionFactory)) {
            throw new CacheConfigurationException(
                    "litellm.cache.type is redis but the application's Redis connection factory ("
                            + factory.getClass().getSimpleName() + ") is not reactive.",
                    "Use Lettuce (spring.data.redis.client-type=lettuce, the default of"
                            + " spring-boot-starter-data-redis), or set litellm.cache.redis.host for a"
                            + " dedicated connection.");
        }
        return new RedisCacheBackend(factory, redis.keyPrefix(), redis.fleetSingleFlight());
    }
}
