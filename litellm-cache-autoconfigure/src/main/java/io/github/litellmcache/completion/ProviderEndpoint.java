package io.github.litellmcache.completion;

import io.github.litellmcache.display.Secrets;
import org.jspecify.annotations.Nullable;

/**
 * Where a provider is reached by default: its base URL, API key and (Azure) API version. A request
 * may override each.
 *
 * @param apiBase the base URL, for example {@code https://api.openai.com/v1}
 * @param apiKey the API key, or null
 * @param apiVersion the API version (Azure), or null
 */
public record ProviderEndpoint(
        @Nullable String apiBase,
        @Nullable String apiKey,
        @Nullable String apiVersion) {

    @Override
    public String toString() {
        return "ProviderEndpoint[apiBase=" + this.apiBase + ", apiKey=" + Secrets.mask(this.apiKey) + ", apiVersion="
                + this.apiVersion + "]";
    }
}
