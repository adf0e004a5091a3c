package io.github.litellmcache.cache;

import io.github.litellmcache.display.Secrets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where the Redis backend keeps its entries ({@code litellm.cache.redis.*}): a dedicated connection when a host is
 * set, otherwise the application's {@code RedisConnectionFactory}; every key starts with the key prefix, so that the
 * cache clears its own keys and nothing else.
 *
 * @param host the host of a dedicated connection; null (or blank) for the application's connection
 * @param port the port of the dedicated connection
 * @param password the password of the dedicated connection, or null; never shown
 * @param keyPrefix the prefix of every key: not empty, ending with {@code :}, without a glob character
 * @param fleetSingleFlight whether identical misses on different instances make one provider call
 */
public record RedisConnection(
        @Nullable String host, int port, @Nullable String password, String keyPrefix, boolean fleetSingleFlight) {

    public static final int DEFAULT_PORT = 6379;

    public static final String DEFAULT_KEY_PREFIX = "litellm:";

    private static final Pattern GLOB = Pattern.compile("[*?\\[\\]\\\\]");

    /** What a URL, a {@code host:port} pair or credentials hold, and a host name or IP address does not. */
    private static final Pattern NOT_A_HOST = Pattern.compile("[\\s\\p{Cntrl}/@\\\\?#]|^[^:]*:\\d*$");

    /** The application's connection with the default key prefix. */
    public static final RedisConnection DEFAULTS = new RedisConnection(null, DEFAULT_PORT, null, DEFAULT_KEY_PREFIX);

    /** A connection whose instances make one provider call for identical misses. */
    public RedisConnection(@Nullable String host, int port, @Nullable String password, String keyPrefix) {
        this(host, port, password, keyPrefix, true);
    }

    /**
     * Strips the host of surrounding whitespace.
     *
     * @throws CacheConfigurationException for a host that is a URL, holds a port, credentials or whitespace, a port out
     *     of range or a key prefix {@link #requireKeyPrefix} refuses
     */
    public RedisConnection {
        host = (host != null && !host.isBlank()) ? requireHost(host.strip()) : null;
        if (port < 1 || port > 65_535) {
            throw CacheConfigurationException.invalid(
                    "litellm.cache.redis.port", "RedisConnection.port", port, "a port between 1 and 65535");
        }
        requireKeyPrefix(keyPrefix);
    }

    /**
     * {@code keyPrefix}, checked: {@code clear()} deletes the keys matching {@code <keyPrefix>*}, so an empty prefix
     * would match every key of the database, a glob character ({@code * ? [ ] \}) would widen the match, and a prefix
     * that does not end with the separator {@code :} would match another prefix's keys ({@code app} matches
     * {@code app2:...}).
     *
     * @throws CacheConfigurationException naming the property, for a prefix that is empty, holds a glob character or
     *     does not end with {@code :}
     */
    public static String requireKeyPrefix(String keyPrefix) {
        if (keyPrefix.isEmpty()
                || !keyPrefix.endsWith(":")
                || GLOB.matcher(keyPrefix).find()) {
            throw CacheConfigurationException.invalid(
                    "litellm.cache.redis.key-prefix",
                    "RedisConnection.keyPrefix",
                    keyPrefix,
                    "a prefix ending with ':' and without * ? [ ] or \\, such as litellm: or my-app:cache:, so that"
                            + " clear() removes only this cache's keys");
        }
        return keyPrefix;
    }

    private static String requireHost(String host) {
        if (NOT_A_HOST.matcher(host).find()) {
            throw new CacheConfigurationException(
                    "litellm.cache.redis.host (RedisConnection.host) is not a host name or IP address: it holds a"
                            + " scheme, path, port, credentials or whitespace, as a URL does (the value is not shown,"
                            + " as a URL may hold a password).",
                    "Set litellm.cache.redis.host to a host name or IP address such as localhost or 10.0.0.5, with"
                            + " the port in litellm.cache.redis.port and the password in litellm.cache.redis.password;"
                            + " for a URL, leave the host unset and set spring.data.redis.url.");
        }
        return host;
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
                + Secrets.mask(this.password) + ", keyPrefix=" + this.keyPrefix + ", fleetSingleFlight="
                + this.fleetSingleFlight + "]";
    }
}
