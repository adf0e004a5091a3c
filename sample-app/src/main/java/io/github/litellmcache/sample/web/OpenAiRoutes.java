package io.github.litellmcache.sample.web;

import io.github.litellmcache.autoconfigure.LiteLlmCacheProperties;
import io.github.litellmcache.autoconfigure.LiteLlmProviderProperties;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.ProviderRouter;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAI-compatible routes: {@code POST /v1/chat/completions}, {@code POST /v1/embeddings} and
 * {@code GET /v1/models} (see {@link ModelList}); any other request under {@code /v1/} is answered
 * with OpenAI's 404 error body, naming these.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SampleProperties.class)
class OpenAiRoutes {

    @Bean
    RouterFunction<ServerResponse> openAiRouterFunction(
            CompletionService completionService,
            JsonMapper json,
            LiteLlmProviderProperties providers,
            ProviderRouter router,
            ObjectProvider<LiteLlmCacheProperties> cacheProperties,
            SampleProperties sample) {
        LiteLlmCacheProperties cache = cacheProperties.getIfAvailable();
        String configuredNamespace = (cache != null) ? cache.getNamespace() : null;
        boolean shared = sample.getCache().isSharedAcrossApiKeys();
        UpstreamAddresses upstreams = new UpstreamAddresses(Stream.of(
                        providers.getOpenai().getApiBase(), providers.getAzure().getApiBase())
                .filter(Objects::nonNull)
                .toList());
        OpenAiErrorResponses errors = new OpenAiErrorResponses(upstreams);
        OpenAiHandler handler = new OpenAiHandler(
                completionService,
                json,
                sample.getLimits(),
                CacheScope.scopes(shared, configuredNamespace),
                new ModelRoutes(router, providers.getMock().isEnabled()),
                errors);
        ModelList modelList =
                new ModelList(sample.getModels(), providers.getMock().isEnabled(), Instant.now());
        return RouterFunctions.route()
                .POST("/v1/chat/completions", handler::chatCompletions)
                .POST("/v1/embeddings", handler::embeddings)
                .GET(
                        "/v1/models",
                        request -> ServerResponse.ok()
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(modelList.body()))
                .route(RequestPredicates.path("/v1/**"), request -> errors.from(notServed(request)))
                .build();
    }

    /** OpenAI's answer to a URL it does not know, naming the routes this server has. */
    private static ResponseStatusException notServed(ServerRequest request) {
        return new ResponseStatusException(
                HttpStatus.NOT_FOUND,
                "Invalid URL (" + request.method() + " " + request.path() + "): this server serves"
                        + " POST /v1/chat/completions, POST /v1/embeddings and GET /v1/models");
    }
}
