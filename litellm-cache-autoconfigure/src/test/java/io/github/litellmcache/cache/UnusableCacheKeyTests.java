package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.OpenAiFake;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A custom {@link CacheKeyGenerator} that gives no usable key (null, blank, too long, with a control
 * character, U+FFFE, U+FFFF or an unpaired surrogate, or throwing) makes the call bypass the cache: no entry is shared between requests, so
 * no request gets another's answer, and the call still succeeds through the provider.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnusableCacheKeyTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner = applicationRunner();

    static Stream<Arguments> unusableKeys() {
        return Stream.of(
                Arguments.of("null", (CacheKeyGenerator) (callType, request) -> null),
                Arguments.of("blank", (CacheKeyGenerator) (callType, request) -> "  "),
                Arguments.of("too long", (CacheKeyGenerator) (callType, request) -> "k".repeat(10_000)),
                Arguments.of("control character", (CacheKeyGenerator) (callType, request) -> "key\nother"),
                Arguments.of("unpaired surrogate", (CacheKeyGenerator) (callType, request) -> "key\uD800"),
                Arguments.of("noncharacter XML cannot hold", (CacheKeyGenerator) (callType, request) -> "key\uFFFF"),
                Arguments.of("throwing", (CacheKeyGenerator) (callType, request) -> {
                    throw new IllegalStateException("generator failed");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableKeys")
    void differentRequestsNeverShareAnEntryAndEachCallSucceeds(String name, CacheKeyGenerator generator) {
        this.contextRunner.withBean(CacheKeyGenerator.class, () -> generator).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletion first = service.completion(question("What is the capital of France?"));
            ChatCompletion second = service.completion(question("What is the capital of Spain?"));
            ChatCompletion repeat = service.completion(question("What is the capital of France?"));

            assertThat(List.of(first, second, repeat))
                    .allSatisfy(response -> assertThat(response.cacheHit()).isFalse());
            assertThat(second.id()).isNotEqualTo(first.id());
            assertThat(repeat.cacheKey()).isNull();
            assertThat(this.provider.requestCount()).isEqualTo(3);
        });
    }

    @Test
    void theBypassIsLoggedWithTheGeneratorButNeverTheKey(CapturedOutput output) {
        this.contextRunner
                .withBean(CacheKeyGenerator.class, () -> (callType, request) -> "secret-key\u0000")
                .run(context -> {
                    context.getBean(CompletionService.class).completion(question("q"));
                    assertThat(output)
                            .contains("The cache key generator")
                            .contains("bypass the cache")
                            .doesNotContain("secret-key");
                });
    }

    @Test
    void embeddingItemsWithOneKeyForAllAreNotCachedSoEachItemKeepsItsOwnVector() {
        this.contextRunner
                .withBean(CacheKeyGenerator.class, () -> (callType, request) -> "the-same-key")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    service.embedding("text-embedding-3-small", List.of("warm"));
                    EmbeddingResponse response = service.embedding("text-embedding-3-small", List.of("a", "b"));

                    assertThat(response.cacheHit()).isFalse();
                    assertThat(response.data().get(0).embedding()).containsExactly(OpenAiFake.vectorArrayOf("a"));
                    assertThat(response.data().get(1).embedding()).containsExactly(OpenAiFake.vectorArrayOf("b"));
                });
    }

    @Test
    void concurrentEmbeddingCallsWhoseKeysCollideEachGetTheirOwnVectors() {
        this.provider.latency(Duration.ofSeconds(2));
        this.contextRunner
                .withBean(CacheKeyGenerator.class, () -> (callType, request) -> "the-same-key")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    EmbeddingRequest ab = EmbeddingRequest.builder()
                            .model("text-embedding-3-small")
                            .input(List.of("a", "b"))
                            .build();
                    EmbeddingRequest cd = ab.withInput(List.of("c", "d"));
                    CompletableFuture<EmbeddingResponse> first =
                            service.aembedding(ab).toFuture();
                    this.provider.awaitRequests(1);

                    EmbeddingResponse second = service.embedding(cd);

                    assertThat(second.data().get(0).embedding())
                            .as("c's own vector, not a's from the call in flight")
                            .containsExactly(OpenAiFake.vectorArrayOf("c"));
                    assertThat(first.get().data().get(0).embedding()).containsExactly(OpenAiFake.vectorArrayOf("a"));
                });
    }
}
