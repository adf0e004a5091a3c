package io.github.litellmcache.autoconfigure;

/**
 * The cache cannot start as configured. {@link LiteLlmCacheFailureAnalyzer} turns it into a startup
 * report naming the property and what to change.
 */
public class CacheConfigurationException extends IllegalStateException {

    private final String action;

    public CacheConfigurationException(String description, String action) {
        super(description);
        this.action = action;
    }

    static CacheConfigurationException invalid(String property, Object value, String expected) {
        return new CacheConfigurationException(
                "The value '" + value + "' of " + property + " is invalid.",
                "Set " + property + " to " + expected + ".");
    }

    /** What to change to fix it. */
    public String action() {
        return this.action;
    }
}
