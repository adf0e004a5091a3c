package io.github.litellmcache.sample.web;

import io.github.litellmcache.autoconfigure.LiteLlmProviderProperties;
import io.github.litellmcache.completion.CompletionService;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
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
class OpenAiRoutes {

    @Bean
    RouterFunction<ServerResponse> openAiRouterFunction(
            CompletionService completionService,
            JsonMapper json,
            LiteLlmProviderProperties properties,
            @Value("${sample.models:gpt-4o-mini,text-embedding-3-small}") List<String> models) {
        OpenAiHandler handler = new OpenAiHandler(completionService, json);
        ModelList modelList = new ModelList(models, properties.getMock().isEnabled(), Instant.now());
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
