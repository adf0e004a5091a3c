package io.github.litellmcache.cache;

import io.github.litellmcache.display.Secrets;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where the Redis backend keeps its entries ({@code litellm.cache.redis.*}): a dedicated connection when a host is
 * set, otherwise the application's {@code RedisConnectionFactory}; every key starts with the key prefix, so that the
 * cache clears its own keys and nothing else.
 *
 * @param host the host of a dedicated connection; null (or blank) for the application's connection
 * @param port the port of the dedicated connection
 * @param password the password of the dedicated connection, or null; never shown
 * @param keyPrefix the prefix of every key; not empty
 */
public record RedisConnection(
        @Nullable String host, int port, @Nullable String password, String keyPrefix) {

    public static final int DEFAULT_PORT = 6379;

    public static final String DEFAULT_KEY_PREFIX = "litellm:";

    /** The application's connection with the default key prefix. */
    public static final RedisConnection DEFAULTS = new RedisConnection(null, DEFAULT_PORT, null, DEFAULT_KEY_PREFIX);

    /** @throws CacheConfigurationException for a port out of range or an empty key prefix */
    public RedisConnection {
        host = (host != null && !host.isBlank()) ? host : null;
        if (port < 1 || port > 65_535) {
            throw CacheConfigurationException.invalid(
                    "litellm.cache.redis.port", "RedisConnection.port", port, "a port between 1 and 65535");
        }
        if (keyPrefix.isEmpty()) {
            throw CacheConfigurationException.invalid(
                    "litellm.cache.redis.key-prefix",
                    "RedisConnection.keyPrefix",
                    keyPrefix,
                    "a prefix such as litellm:, so that clear() removes only this cache's keys");
        }
    }

    /** Whether the cache opens its own connection rather than using the application's. */
    public boolean isDedicated() {
        return this.host != null;
    }

    /** The port of the dedicated connection; null when the application's connection (whose port is its own) is used. */
    public @Nullable Integer dedicatedPort() {
        return isDedicated() ? this.port : null;
    }

    List<@Nullable String> secrets() {
        return Arrays.asList(this.password);
    }

    @Override
    public String toString() {
        return "RedisConnection[host=" + this.host + ", port=" + dedicatedPort() + ", password="
                + Secrets.mask(this.password) + ", keyPrefix=" + this.keyPrefix + "]";
    }
}
