package io.github.litellmcache.completion;

import io.github.litellmcache.cache.CacheOptions;
import io.github.litellmcache.display.LogText;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The parts every request shares: its provider parameters and LiteLLM's options. */
abstract class AbstractLlmRequest implements LlmRequest {

    private final Map<String, Object> params;
    private final boolean plainParams;
    private final @Nullable Boolean caching;
    private final @Nullable CacheOptions cache;
    private final @Nullable String mockResponse;
    private final @Nullable String apiKey;
    private final @Nullable String apiBase;
    private final @Nullable String apiVersion;
    private final Map<String, Object> metadata;
    private final @Nullable Duration timeout;

    AbstractLlmRequest(Builder<?, ?> builder) {
        Object model = builder.param("model");
        if (!(model instanceof String name) || name.isBlank()) {
            throw new IllegalArgumentException("model must not be blank: set it with builder.model(\"gpt-4o-mini\")");
        }
        if (builder.timeout != null && (builder.timeout.isZero() || !CacheOptions.isWithinRange(builder.timeout))) {
            throw new IllegalArgumentException("timeout must be positive and at most "
                    + CacheOptions.MAX_DURATION.toDays() + " days, got " + builder.timeout);
        }
        this.plainParams = builder.values.allPlain();
        this.params = builder.params.build(this.plainParams);
        this.caching = builder.caching;
        this.cache = builder.cache;
        this.mockResponse = builder.mockResponse;
        this.apiKey = builder.apiKey;
        this.apiBase = builder.apiBase;
        this.apiVersion = builder.apiVersion;
        this.metadata = builder.metadata.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(builder.metadata));
        this.timeout = builder.timeout;
    }

    @Override
    public String model() {
        return (String) this.params.get("model");
    }

    @Override
    public Map<String, Object> params() {
        return this.params;
    }

    @Override
    public boolean hasPlainParams() {
        return this.plainParams;
    }

    @Override
    public @Nullable Boolean caching() {
        return this.caching;
    }

    @Override
    public @Nullable CacheOptions cache() {
        return this.cache;
    }

    @Override
    public @Nullable String mockResponse() {
        return this.mockResponse;
    }

    @Override
    public @Nullable String apiKey() {
        return this.apiKey;
    }

    @Override
    public @Nullable String apiBase() {
        return this.apiBase;
    }

    @Override
    public @Nullable String apiVersion() {
        return this.apiVersion;
    }

    @Override
    public Map<String, Object> metadata() {
        return this.metadata;
    }

    @Override
    public @Nullable Duration timeout() {
        return this.timeout;
    }

    /**
     * Names the request without its content, so that logs never carry prompt text or keys, nor a line
     * break from its model's or parameters' names.
     */
    @Override
    public String toString() {
        return LogText.printable(
                getClass().getSimpleName() + "[model=" + model() + ", params=" + this.params.keySet() + "]");
    }

    /**
     * Builds a request: provider parameters in the order they are set (the order never changes the
     * cache key) and LiteLLM's options.
     *
     * @param <B> the concrete builder
     * @param <R> the request it builds
     */
    public abstract static class Builder<B extends Builder<B, R>, R extends LlmRequest> {

        /** The parameters, each a deep unmodifiable copy of what was given. */
        private final Params.Builder params = new Params.Builder();

        final PlainValues values = new PlainValues();

        private @Nullable Boolean caching;
        private @Nullable CacheOptions cache;
        private @Nullable String mockResponse;
        private @Nullable String apiKey;
        private @Nullable String apiBase;
        private @Nullable String apiVersion;
        private Map<String, Object> metadata = Map.of();
        private @Nullable Duration timeout;

        Builder() {}

        @SuppressWarnings("unchecked")
        final B self() {
            return (B) this;
        }

        /** The model, optionally prefixed by its provider ({@code azure/<deployment>}, {@code openai/<model>}). */
        public B model(String model) {
            return param("model", model);
        }

        /** The end user's id, sent to the provider. */
        public B user(@Nullable String user) {
            return param("user", user);
        }

        /**
         * Any provider parameter under its wire name; null removes it. Lists and maps are copied, so
         * that changing them afterwards changes neither the request nor its cache key; they may nest
         * at most 498 deep (within Jackson's default limit on a request's JSON).
         */
        public B param(String name, @Nullable Object value) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("param name must not be blank");
            }
            return putParam(name, this.values.copy(name, value));
        }

        /** Sets a parameter already known to be an unmodifiable plain value. */
        final B putParam(String name, @Nullable Object value) {
            this.params.put(name, value);
            return self();
        }

        @Nullable
        Object param(String name) {
            return this.params.get(name);
        }

        /** {@code false} bypasses the cache for this call; {@code true} opts it in when the mode is default-off. */
        public B caching(@Nullable Boolean caching) {
            this.caching = caching;
            return self();
        }

        /** Per-request cache options (LiteLLM's {@code cache={...}}). */
        public B cache(@Nullable CacheOptions cache) {
            this.cache = cache;
            return self();
        }

        /** Answer with this text without calling the provider (LiteLLM's {@code mock_response}). */
        public B mockResponse(@Nullable String mockResponse) {
            this.mockResponse = mockResponse;
            return self();
        }

        /** API key for this call, over the configured one. */
        public B apiKey(@Nullable String apiKey) {
            this.apiKey = apiKey;
            return self();
        }

        /** Base URL of the provider for this call, over the configured one. */
        public B apiBase(@Nullable String apiBase) {
            this.apiBase = apiBase;
            return self();
        }

        /** API version for this call (Azure), over the configured one. */
        public B apiVersion(@Nullable String apiVersion) {
            this.apiVersion = apiVersion;
            return self();
        }

        /** Caller's metadata, passed to callbacks, never sent nor part of the key. */
        public B metadata(@Nullable Map<String, Object> metadata) {
            this.metadata = (metadata != null) ? metadata : Map.of();
            return self();
        }

        /** Longest time to wait for the provider: positive, at most ten years. */
        public B timeout(@Nullable Duration timeout) {
            this.timeout = timeout;
            return self();
        }

        /** The request; throws {@link IllegalArgumentException} naming a missing or invalid field. */
        public abstract R build();
    }
}
