package io.github.litellmcache.completion;

import org.jspecify.annotations.Nullable;

/**
 * Where one request goes: the provider, its base URL, the model (or Azure deployment) without its
 * prefix, and the credentials to use.
 *
 * @param provider {@code openai} (any OpenAI-compatible API) or {@code azure}
 * @param apiBase the base URL, without a trailing slash
 * @param model the model name or Azure deployment, without the provider prefix
 * @param apiKey the API key, or null when the API needs none
 * @param apiVersion the API version (Azure), or null
 */
public record ProviderRoute(
        String provider,
        String apiBase,
        String model,
        @Nullable String apiKey,
        @Nullable String apiVersion) {

    public static final String OPENAI = "openai";

    public static final String AZURE = "azure";

    /** The provider a model name routes to: {@code azure} for {@code azure/...}, else {@code openai}. */
    public static String providerOf(String model) {
        return AZURE.equals(ModelName.parse(model).prefix()) ? AZURE : OPENAI;
    }

    @Override
    public String toString() {
        return "ProviderRoute[provider=" + this.provider + ", apiBase=" + this.apiBase + ", model=" + this.model + "]";
    }
}
