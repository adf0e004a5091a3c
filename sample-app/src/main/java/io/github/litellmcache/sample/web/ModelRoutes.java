package io.github.litellmcache.sample.web;

import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.ProviderRouter;

/**
 * Refuses, naming {@code model}, a request whose provider this server cannot call: a model with an
 * unknown provider prefix, or an Azure OpenAI deployment ({@code azure/...}) when Azure OpenAI is not
 * configured or the deployment is no name (blank, {@code .} or {@code ..}). The library refuses these too, but with advice for Java callers. With the mock provider
 * enabled every model is answered, as the model list says.
 */
final class ModelRoutes {

    private static final String AZURE = "azure/";

    private final ProviderRouter router;

    /** Whether the mock provider answers every call, whatever its model: then no model is refused. */
    private final boolean mocked;

    ModelRoutes(ProviderRouter router, boolean mocked) {
        this.router = router;
        this.mocked = mocked;
    }

    /** {@code request}, when the mock provider answers it or the router has a route for its model. */
    <T extends LlmRequest> T routable(T request) {
        if (this.mocked) {
            return request;
        }
        try {
            this.router.route(request);
            return request;
        } catch (IllegalArgumentException refused) {
            throw InvalidRequestException.invalidValue(
                    "model",
                    request.model().startsWith(AZURE)
                            ? "model names an Azure OpenAI deployment (azure/...) that this server cannot call:"
                                    + " it is not configured for Azure OpenAI, or the deployment is blank, '.' or"
                                    + " '..'; use a model without the azure/ prefix, such as gpt-4o-mini"
                            : "model has an unknown provider prefix: use openai/<model>, azure/<deployment>"
                                    + " or a model name without a prefix, such as gpt-4o-mini");
        }
    }
}
