package io.github.litellmcache.sample.web;

import io.github.litellmcache.autoconfigure.LiteLlmCacheProperties;
import io.github.litellmcache.autoconfigure.LiteLlmProviderProperties;
import io.github.litellmcache.completion.CompletionService;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAI-compatible routes: {@code POST /v1/chat/completions}, {@code POST /v1/embeddings} and
 * {@code GET /v1/models} (see {@link ModelList}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SampleProperties.class)
class OpenAiRoutes {

    @Bean
    RouterFunction<ServerResponse> openAiRouterFunction(
            CompletionService completionService,
            JsonMapper json,
            LiteLlmProviderProperties providers,
            ObjectProvider<LiteLlmCacheProperties> cacheProperties,
            SampleProperties sample) {
        LiteLlmCacheProperties cache = cacheProperties.getIfAvailable();
        String configuredNamespace = (cache != null) ? cache.getNamespace() : null;
        boolean shared = sample.getCache().isSharedAcrossApiKeys();
        UpstreamAddresses upstreams = new UpstreamAddresses(Stream.of(
                        providers.getOpenai().getApiBase(), providers.getAzure().getApiBase())
                .filter(Objects::nonNull)
                .toList());
        OpenAiHandler handler = new OpenAiHandler(
                completionService,
                json,
                sample.getLimits(),
                request -> CacheScope.of(request, shared, configuredNamespace),
                new OpenAiErrorResponses(upstreams));
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
                .build();
    }
}
