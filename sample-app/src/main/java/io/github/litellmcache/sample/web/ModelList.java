package io.github.litellmcache.sample.web;

import io.github.litellmcache.completion.ProviderRoute;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /v1/models} in OpenAI's list format, which clients call to check a
 * server or to offer a choice of models. The endpoint cannot ask a provider which models it has
 * (the library calls chat completions and embeddings only), so, like LiteLLM's proxy, it lists the
 * model names it is configured with ({@code sample.models}, by default the sample's chat and
 * embedding models). With the mock provider enabled every name is answered, so the names are
 * examples and are owned by {@value #MOCK_OWNER}; with a real provider each name is owned by the
 * provider its prefix routes it to ({@code azure/<deployment>} to {@code azure}, any other to
 * {@code openai}). {@code created} is when the application started.
 */
final class ModelList {

    static final String MOCK_OWNER = "litellm-cache-mock";

    private final List<Map<String, Object>> models;

    ModelList(List<String> names, boolean mockEnabled, Instant started) {
        this.models = names.stream()
                .map(name -> Map.<String, Object>of(
                        "id",
                        name,
                        "object",
                        "model",
                        "created",
                        started.getEpochSecond(),
                        "owned_by",
                        mockEnabled ? MOCK_OWNER : ProviderRoute.providerOf(name)))
                .toList();
    }

    /** The body: {@code {"object":"list","data":[{"id":...,"object":"model","created":...,"owned_by":...}]}}. */
    Map<String, Object> body() {
        return Map.of("object", "list", "data", this.models);
    }
}
