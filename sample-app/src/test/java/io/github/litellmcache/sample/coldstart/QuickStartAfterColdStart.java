package io.github.litellmcache.sample.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheType;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.sample.SampleApplication;
import io.github.litellmcache.testsupport.OpenAiFake;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * LiteLLM's caching quick start in a freshly started sample application: two identical completions
 * right after startup, the second a cache hit, one provider request; then the same for embeddings.
 * The provider is a real HTTP server speaking the OpenAI wire format. Each subclass names one way a
 * user configures a backend and runs in a JVM of its own (the {@code cold-start} Surefire execution),
 * because a warm JVM hides what a first call meets: class loading, the first connection, the first
 * TLS handshake.
 */
abstract class QuickStartAfterColdStart {

    private static OpenAiFake provider;

    @BeforeAll
    static void startProvider() {
        provider = new OpenAiFake();
    }

    @AfterAll
    static void stopProvider() throws Exception {
        provider.close();
    }

    /** The backend the application must be running on. */
    abstract CacheType backend();

    /** Profiles that select and configure the backend; none unless overridden. */
    List<String> profiles() {
        return List.of();
    }

    /** {@code --name=value} arguments that select and configure the backend; none unless overridden. */
    List<String> arguments() {
        return List.of();
    }

    @Test
    void secondIdenticalCallRightAfterStartupIsServedFromTheCache() {
        try (ConfigurableApplicationContext application = start()) {
            CompletionService llm = application.getBean(CompletionService.class);
            ChatCompletionRequest request = ChatCompletionRequest.builder()
                    .model("gpt-4o-mini")
                    .message(ChatMessage.user("Hello, how are you?"))
                    .build();

            ChatCompletion response1 = llm.completion(request);
            ChatCompletion response2 = llm.completion(request);

            assertThat(application.getBean(LlmCache.class).settings().type()).isEqualTo(backend());
            assertThat(response1.cacheHit()).isFalse();
            assertThat(response2.cacheHit()).isTrue();
            assertThat(response2.id()).isEqualTo(response1.id());
            assertThat(response2.content()).isEqualTo(response1.content());
            assertThat(provider.requestCount()).isEqualTo(1);

            EmbeddingResponse embedding1 = llm.embedding("text-embedding-3-small", List.of("hello", "world"));
            EmbeddingResponse embedding2 = llm.embedding("text-embedding-3-small", List.of("hello", "world"));

            assertThat(embedding1.cacheHit()).isFalse();
            assertThat(embedding2.cacheHit()).isTrue();
            assertThat(embedding2.data().get(1).embedding())
                    .containsExactly(embedding1.data().get(1).embedding());
            assertThat(provider.requestCount()).isEqualTo(2);
        }
    }

    ConfigurableApplicationContext start() {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--litellm.mock.enabled=false",
                "--litellm.openai.api-base=" + provider.apiBase(),
                "--litellm.openai.api-key=sk-test-cold-start"));
        arguments.addAll(arguments());
        return new SpringApplicationBuilder(SampleApplication.class)
                .main(SampleApplication.class)
                .profiles(profiles().toArray(String[]::new))
                .run(arguments.toArray(String[]::new));
    }
}
