package io.github.litellmcache.completion;

import org.jspecify.annotations.Nullable;

/**
 * Routes a request by the prefix of its model: {@code azure/<deployment>} to Azure OpenAI,
 * {@code openai/<model>} or no prefix to the OpenAI-compatible API. The request's {@code apiBase},
 * {@code apiKey} and {@code apiVersion} override the configured endpoint.
 */
public final class ProviderRouter {

    private final ProviderEndpoint openai;
    private final ProviderEndpoint azure;

    public ProviderRouter(ProviderEndpoint openai, ProviderEndpoint azure) {
        this.openai = openai;
        this.azure = azure;
    }

    /**
     * The route of {@code request}; throws {@link IllegalArgumentException} for an unknown prefix or
     * a missing Azure base URL or API version.
     */
    public ProviderRoute route(LlmRequest request) {
        ModelName model = ModelName.parse(request.model());
        String prefix = model.prefix();
        if (prefix == null || prefix.equals(ProviderRoute.OPENAI)) {
            String apiBase = required(request.apiBase(), this.openai.apiBase(), "apiBase", "litellm.openai.api-base");
            return new ProviderRoute(
                    ProviderRoute.OPENAI,
                    trimSlash(apiBase),
                    model.name(),
                    first(request.apiKey(), this.openai.apiKey()),
                    first(request.apiVersion(), this.openai.apiVersion()));
        }
        if (prefix.equals(ProviderRoute.AZURE)) {
            requireDeployment(model.name());
            String apiBase = required(request.apiBase(), this.azure.apiBase(), "apiBase", "litellm.azure.api-base");
            String apiVersion =
                    required(request.apiVersion(), this.azure.apiVersion(), "apiVersion", "litellm.azure.api-version");
            return new ProviderRoute(
                    ProviderRoute.AZURE,
                    trimSlash(apiBase),
                    model.name(),
                    first(request.apiKey(), this.azure.apiKey()),
                    apiVersion);
        }
        throw new IllegalArgumentException("model has the unknown provider prefix '" + prefix
                + "': use openai/<model>, azure/<deployment> or a model name without a prefix");
    }

    /**
     * Refuses a deployment that is blank, {@code .} or {@code ..}: as a segment of the URL's path it would name no
     * deployment, and HTTP resolves a dot segment, sending the request to another path of the Azure endpoint.
     */
    private static void requireDeployment(String deployment) {
        if (deployment.isBlank() || deployment.equals(".") || deployment.equals("..")) {
            throw new IllegalArgumentException("model is azure/ followed by a blank deployment, '.' or '..':"
                    + " use azure/<deployment>, with the name of an Azure OpenAI deployment");
        }
    }

    private static String required(
            @Nullable String requested, @Nullable String configured, String field, String property) {
        String value = first(requested, configured);
        if (value == null) {
            throw new IllegalArgumentException(
                    field + " is not set: set the property " + property + " or request.builder()." + field + "(...)");
        }
        return value;
    }

    private static @Nullable String first(@Nullable String requested, @Nullable String configured) {
        if (requested != null && !requested.isBlank()) {
            return requested;
        }
        return (configured != null && !configured.isBlank()) ? configured : null;
    }

    private static String trimSlash(String apiBase) {
        return apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
    }
}
