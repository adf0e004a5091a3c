package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheKeyGenerator;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.OpenAiFake;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Values written under the cache's keys by someone else, in shapes the cache never writes: each is a miss that the
 * provider's answer replaces, never an error to the caller, and never a reason to skip the store for other keys.
 */
class PoisonedRedisEntryTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private static final String RESPONSE = "\"response\":{\"id\":\"chatcmpl-poisoned\",\"object\":\"chat.completion\","
            + "\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\"}]}}";

    private ApplicationContextRunner contextRunner() {
        return applicationRunner().withPropertyValues(server.cacheProperties());
    }

    @Test
    void aStreamedCallOnAStoredCompletionWhoseChoiceHasNoMessageIsAMissNotAnError() {
        contextRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletionRequest request = question("a stream on a poisoned entry");
            poison("litellm:" + service.completion(request).cacheKey(), "chat.completion", RESPONSE);
            int calls = this.provider.requestCount();

            List<ChatCompletionChunk> chunks =
                    service.streamCompletion(request).collectList().block(Duration.ofSeconds(10));

            assertThat(chunks).isNotEmpty();
            assertThat(this.provider.requestCount()).isEqualTo(calls + 1);
        });
    }

    @Test
    void anEmbeddingItemEntryWithoutAnEmbeddingIsAMissNotAnError() {
        contextRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            EmbeddingRequest request = EmbeddingRequest.builder()
                    .model("text-embedding-3-small")
                    .input(List.of("an item whose entry is poisoned"))
                    .build();
            service.embedding(request);
            List<String> keys = server.admin().keys("litellm:*");
            assertThat(keys).hasSize(1);
            poison(
                    keys.get(0),
                    "embedding",
                    "\"response\":{\"object\":\"list\",\"data\":[],\"model\":\"text-embedding-3-small\"}}");
            int calls = this.provider.requestCount();

            assertThat(service.embedding(request).data()).hasSize(1);
            assertThat(this.provider.requestCount()).isEqualTo(calls + 1);
        });
    }

    /**
     * The fake gives 3 dimensions whatever is asked, as a provider that ignores {@code dimensions}: its answer is not
     * stored, and an entry of that length found under the item's key (written before, or by another writer) is a miss.
     */
    @Test
    void anEmbeddingItemOfAnotherLengthThanTheDimensionsAskedForIsNeitherStoredNorServed() {
        contextRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            EmbeddingRequest request = EmbeddingRequest.builder()
                    .model("text-embedding-3-small")
                    .input(List.of("an item stored with its model's full length"))
                    .dimensions(256)
                    .build();
            String key = context.getBean(CacheKeyGenerator.class)
                    .itemKeys(CallType.EMBEDDING, request)
                    .apply(request.input().get(0));
            service.embedding(request);
            assertThat(server.admin().keys("litellm:*")).as("nothing stored").isEmpty();
            poison(
                    "litellm:" + key,
                    "embedding",
                    "\"response\":{\"object\":\"list\",\"model\":\"text-embedding-3-small\","
                            + "\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,0.25,0.125]}]}}");

            EmbeddingResponse response = service.embedding(request);

            assertThat(response.cacheHit()).isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void anEmbeddingItemEntryHoldingSeveralEmbeddingsIsAMissRatherThanGivingTheItemAnothersVector() {
        contextRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            EmbeddingRequest request = EmbeddingRequest.builder()
                    .model("text-embedding-3-small")
                    .input(List.of("an item whose entry holds two embeddings"))
                    .build();
            String key = context.getBean(CacheKeyGenerator.class)
                    .itemKeys(CallType.EMBEDDING, request)
                    .apply(request.input().get(0));
            poison(
                    "litellm:" + key,
                    "embedding",
                    "\"response\":{\"object\":\"list\",\"model\":\"text-embedding-3-small\",\"data\":["
                            + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[9,9,9]},"
                            + "{\"object\":\"embedding\",\"index\":1,\"embedding\":[1,1,1]}]}}");

            EmbeddingResponse response = service.embedding(request);

            assertThat(response.cacheHit()).isFalse();
            assertThat(response.data().get(0).embedding())
                    .containsExactly(OpenAiFake.vectorArrayOf(request.input().get(0)));
        });
    }

    @Test
    void aPoisonedEntryIsReplacedByTheProvidersAnswerAndLeavesOtherKeysHits() {
        contextRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletionRequest other = question("an innocent question");
            service.completion(other);
            ChatCompletionRequest poisoned = question("a question whose entry is poisoned");
            String key = "litellm:" + service.completion(poisoned).cacheKey();
            poison(key, "chat.completion", "\"chunks\":[null]," + RESPONSE);

            for (int i = 0; i < 10; i++) {
                service.completion(poisoned);
            }

            assertThat(service.completion(other).cacheHit())
                    .as("the innocent question")
                    .isTrue();
            assertThat(server.admin().get(key)).as("the poisoned entry").doesNotContain("chatcmpl-poisoned");
        });
    }

    /** Writes under {@code key} an envelope of this format and {@code type} that ends with {@code rest}. */
    private static void poison(String key, String type, String rest) {
        server.admin()
                .set(
                        key,
                        "{\"format\":2,\"stored_at\":" + System.currentTimeMillis() + ",\"type\":\"" + type + "\","
                                + rest);
    }
}
