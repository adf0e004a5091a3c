package io.github.litellmcache.sample.web;

import io.github.litellmcache.completion.CompletionService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/** The OpenAI-compatible routes: {@code POST /v1/chat/completions} and {@code POST /v1/embeddings}. */
@Configuration(proxyBeanMethods = false)
class OpenAiRoutes {

    @Bean
    RouterFunction<ServerResponse> openAiRouterFunction(CompletionService completionService, JsonMapper json) {
        OpenAiHandler handler = new OpenAiHandler(completionService, json);
        return RouterFunctions.route()
                .POST("/v1/chat/completions", handler::chatCompletions)
                .POST("/v1/embeddings", handler::embeddings)
                .build();
    }
}
