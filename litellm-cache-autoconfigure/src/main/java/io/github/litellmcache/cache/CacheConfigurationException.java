package io.github.litellmcache.cache;

/**
 * The cache cannot be set up as configured: a wrong setting, or a backend that cannot be created. Thrown at startup
 * (where the failure analyzer turns it into a report naming the property and what to change), by
 * {@link CacheSettings.Builder#build()} and by {@link LlmCache#update}, which then keeps its current settings.
 */
public class CacheConfigurationException extends IllegalArgumentException {

    private final String action;

    public CacheConfigurationException(String description, String action) {
        super(description);
        this.action = action;
    }

    /**
     * A wrong value of one setting.
     *
     * @param property the property, such as {@code litellm.cache.redis.port}
     * @param setting its Java name, such as {@code ttl} or {@code RedisConnection.port}
     * @param value the wrong value, never a secret
     * @param expected what to set instead, such as {@code a port between 1 and 65535}
     */
    public static CacheConfigurationException invalid(String property, String setting, Object value, String expected) {
        return new CacheConfigurationException(
                "The value '" + value + "' of " + property + " (" + setting + ") is invalid.",
                "Set " + property + " to " + expected + ".");
    }

    /** What to change to fix it. */
    public String action() {
        return this.action;
    }

    @Override
    public String toString() {
        return super.toString() + " " + this.action;
    }
}
