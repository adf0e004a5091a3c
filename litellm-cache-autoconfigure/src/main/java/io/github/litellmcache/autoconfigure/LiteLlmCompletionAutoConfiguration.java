package io.github.litellmcache.autoconfigure;

import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.MockProvider;
import io.github.litellmcache.completion.ProviderCompletionService;
import io.github.litellmcache.completion.ProviderEndpoint;
import io.github.litellmcache.completion.ProviderRouter;
import io.github.litellmcache.completion.WireFormat;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configures the providers ({@link LiteLlmProviderProperties}): the {@link ProviderRouter}, which the cache's key
 * generator also uses, and, when WebClient is on the classpath, the provider client behind {@link CompletionService}:
 * OpenAI-compatible APIs and Azure OpenAI through WebClient (customised by the application's
 * {@code WebClientCustomizer}s, its buffer limit set to {@code litellm.max-response-size}), and the mock provider. An
 * application's own {@link CompletionService} bean replaces it and is cached all the same.
 */
@AutoConfiguration(afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@EnableConfigurationProperties(LiteLlmProviderProperties.class)
public final class LiteLlmCompletionAutoConfiguration {

    /**
     * The router of {@code litellm.openai.*} and {@code litellm.azure.*}, falling back to LiteLLM's environment
     * variables; {@code AZURE_API_BASE} is checked as {@code litellm.azure.api-base} is (which, when set, passes).
     */
    @Bean
    @ConditionalOnMissingBean
    ProviderRouter liteLlmProviderRouter(LiteLlmProviderProperties properties, Environment environment) {
        LiteLlmProviderProperties.OpenAi openai = properties.getOpenai();
        LiteLlmProviderProperties.Azure azure = properties.getAzure();
        return new ProviderRouter(
                new ProviderEndpoint(
                        openai.getApiBase(), orEnv(openai.getApiKey(), environment, "OPENAI_API_KEY"), null),
                new ProviderEndpoint(
                        LiteLlmProviderProperties.apiBase(
                                orEnv(azure.getApiBase(), environment, "AZURE_API_BASE"), "AZURE_API_BASE"),
                        orEnv(azure.getApiKey(), environment, "AZURE_API_KEY"),
                        orEnv(azure.getApiVersion(), environment, "AZURE_API_VERSION")));
    }

    private static @Nullable String orEnv(@Nullable String value, Environment environment, String variable) {
        return (value != null && !value.isBlank()) ? value : environment.getProperty(variable);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebClient.class)
    static class WebClientCompletionConfiguration {

        @Bean
        @ConditionalOnMissingBean
        CompletionService completionService(
                ProviderRouter router,
                LiteLlmProviderProperties properties,
                ObjectProvider<WebClient.Builder> webClientBuilder) {
            int maxResponseSize = (int) properties.getMaxResponseSize().toBytes();
            WebClient webClient = webClientBuilder
                    .getIfAvailable(WebClient::builder)
                    .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(maxResponseSize))
                    .build();
            MockProvider mock = new MockProvider(properties.getMock().getLatency(), Clock.systemUTC());
            return new ProviderCompletionService(
                    webClient,
                    router,
                    mock,
                    properties.getMock().isEnabled(),
                    WireFormat.jsonMapper(),
                    properties.getRequestTimeout());
        }
    }
}
