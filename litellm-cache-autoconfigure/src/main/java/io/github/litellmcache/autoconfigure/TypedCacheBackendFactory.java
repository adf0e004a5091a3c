package io.github.litellmcache.autoconfigure;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheBackendFactory;
import io.github.litellmcache.cache.CacheConfigurationException;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.display.PropertyValues;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Creates the backend of the settings' type from the registered backends, at startup and when
 * {@code LlmCache.update} switches type. A type whose library is missing fails with the dependency
 * to add.
 */
public final class TypedCacheBackendFactory implements CacheBackendFactory {

    private static final Map<CacheType, String> DEPENDENCIES = Map.of(
            CacheType.LOCAL, "com.github.ben-manes.caffeine:caffeine",
            CacheType.REDIS,
                    "org.springframework.boot:spring-boot-starter-data-redis with its Lettuce client"
                            + " (io.lettuce:lettuce-core; Jedis alone is not enough)",
            CacheType.S3,
                    "io.awspring.cloud:spring-cloud-aws-starter-s3 (Spring Boot does not manage its version:"
                            + " import the BOM io.awspring.cloud:spring-cloud-aws-dependencies, 4.1.x for Spring Boot"
                            + " 4.0)");

    private final Map<CacheType, CacheBackendFactory> factories = new EnumMap<>(CacheType.class);

    public TypedCacheBackendFactory(List<CacheBackendRegistration> registrations) {
        registrations.forEach(registration -> this.factories.put(registration.type(), registration.factory()));
    }

    @Override
    public CacheBackend create(CacheSettings settings) {
        CacheBackendFactory factory = this.factories.get(settings.type());
        if (factory == null) {
            String type = PropertyValues.of(settings.type());
            throw new CacheConfigurationException(
                    "litellm.cache.type is " + type + " but the " + type
                            + " backend's library is not on the classpath.",
                    "Add the dependency " + DEPENDENCIES.get(settings.type())
                            + " to the application, or choose another litellm.cache.type.");
        }
        return factory.create(settings);
    }
}
