package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A repeated call is answered from the cache: completions, acompletions and embeddings, an entry
 * shared by the blocking and reactive forms of a call, the convenience overloads, a custom key
 * generator and mock responses; different requests never get each other's answer. End to end: the
 * starter's auto-configuration, the local backend and a real HTTP fake of the provider.
 */
class CacheHitTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withPropertyValues("litellm.openai.api-key=sk-test-secret-key");

    private static CompletionService service(AssertableApplicationContext context) {
        return context.getBean(CompletionService.class);
    }

    @Test
    void repeatedCompletionIsServedFromTheCache() {
        this.contextRunner.run(context -> {
            ChatCompletion first = service(context).completion(question("capital of France?"));
            ChatCompletion second = service(context).completion(question("capital of France?"));
            assertThat(this.provider.requestCount()).isEqualTo(1);
            assertThat(first.cacheHit()).isFalse();
            assertThat(second.cacheHit()).isTrue();
            assertThat(second.id()).isEqualTo(first.id());
            assertThat(second.content()).isEqualTo(first.content());
            assertThat(second.created()).isEqualTo(first.created());
            assertThat(second.usage()).isEqualTo(first.usage());
            assertThat(second.cacheKey()).matches("[0-9a-f]{64}").isEqualTo(first.cacheKey());
        });
    }

    @Test
    void repeatedAcompletionIsServedFromTheCache() {
        this.contextRunner.run(context -> {
            ChatCompletion first = service(context).acompletion(question("hi")).block();
            ChatCompletion second = service(context).acompletion(question("hi")).block();
            assertThat(this.provider.requestCount()).isEqualTo(1);
            assertThat(first.cacheHit()).isFalse();
            assertThat(second.cacheHit()).isTrue();
            assertThat(second.id()).isEqualTo(first.id());
            assertThat(second.cacheKey()).matches("[0-9a-f]{64}");
        });
    }

    @Test
    void acompletionIsLazyUntilSubscribed() {
        this.contextRunner.run(context -> {
            service(context).acompletion(question("never subscribed"));
            assertThat(this.provider.requestCount()).isZero();
        });
    }

    @Test
    void repeatedEmbeddingIsServedFromTheCache() {
        this.contextRunner.run(context -> {
            EmbeddingRequest request = EmbeddingRequest.builder()
                    .model("text-embedding-3-small")
                    .input(List.of("a", "bb"))
                    .build();
            EmbeddingResponse first = service(context).embedding(request);
            EmbeddingResponse second = service(context).embedding(request);
            EmbeddingResponse third = service(context).aembedding(request).block();
            assertThat(this.provider.requestCount()).isEqualTo(1);
            assertThat(first.cacheHit()).isFalse();
            assertThat(second.cacheHit()).isTrue();
            assertThat(third.cacheHit()).isTrue();
            assertThat(second.data()).isEqualTo(first.data());
            assertThat(second.cacheKey()).matches("[0-9a-f]{64}");
        });
    }

    @Test
    void completionAndAcompletionShareAnEntry() {
        this.contextRunner.run(context -> {
            ChatCompletion blocking = service(context).completion(question("shared"));
            ChatCompletion reactive =
                    service(context).acompletion(question("shared")).block();
            assertThat(reactive.cacheHit()).isTrue();
            assertThat(reactive.id()).isEqualTo(blocking.id());
            assertThat(this.provider.requestCount()).isEqualTo(1);
        });
    }

    @Test
    void convenienceOverloadIsCachedToo() {
        this.contextRunner.run(context -> {
            ChatCompletion first = service(context).completion("gpt-4o-mini", List.of(ChatMessage.user("x")));
            ChatCompletion second = service(context).completion(question("x"));
            assertThat(second.cacheHit()).isTrue();
            assertThat(second.id()).isEqualTo(first.id());
        });
    }

    @Test
    void differentRequestsAreNotServedEachOthersAnswer() {
        this.contextRunner.run(context -> {
            ChatCompletion france = service(context).completion(question("capital of France?"));
            ChatCompletion spain = service(context).completion(question("capital of Spain?"));
            assertThat(spain.cacheHit()).isFalse();
            assertThat(spain.id()).isNotEqualTo(france.id());
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void customKeyGeneratorBeanIsUsed() {
        this.contextRunner.withUserConfiguration(ModelOnlyKeys.class).run(context -> {
            service(context).completion(question("one"));
            ChatCompletion other = service(context).completion(question("two"));
            assertThat(other.cacheHit()).as("keyed by model only").isTrue();
            assertThat(other.cacheKey()).isEqualTo("model:gpt-4o-mini");
        });
    }

    @Test
    void mockResponseAnswersWithoutTheProviderAndIsCached() {
        this.contextRunner.run(context -> {
            ChatCompletion mocked = service(context).completion(question("q", b -> b.mockResponse("canned")));
            assertThat(mocked.content()).isEqualTo("canned");
            assertThat(this.provider.requestCount()).isZero();
            ChatCompletion again = service(context).completion(question("q", b -> b.mockResponse("canned")));
            assertThat(again.cacheHit()).isTrue();
            assertThat(again.id()).isEqualTo(mocked.id());
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class ModelOnlyKeys {

        @Bean
        CacheKeyGenerator modelOnlyKeyGenerator() {
            return (callType, request) -> "model:" + request.model();
        }
    }
}
