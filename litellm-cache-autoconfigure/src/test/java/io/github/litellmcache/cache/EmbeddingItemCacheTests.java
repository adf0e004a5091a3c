package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.OpenAiFake;
import io.github.litellmcache.testsupport.RedisServerExtension;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Embeddings cached item by item, on the local, Redis and S3 backends: only the missing items go
 * to the provider, in one request, and the answer comes back in the caller's order.
 */
class EmbeddingItemCacheTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @RegisterExtension
    static final S3ProxyServerExtension s3 = S3ProxyServerExtension.withBucket("embeddings");

    static Stream<Arguments> backends() {
        return Stream.of(
                Arguments.of("local", new String[] {"litellm.cache.type=local"}),
                Arguments.of("redis", redis.cacheProperties()),
                Arguments.of("s3", s3.cacheProperties()));
    }

    private ApplicationContextRunner contextRunner(String[] backend) {
        return applicationRunner()
                .withPropertyValues("litellm.cache.timeout=5s")
                .withPropertyValues(backend);
    }

    private static EmbeddingRequest embed(List<String> input) {
        return EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input(input)
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void onlyMissingItemsAreSentAndTheAnswerKeepsTheCallersOrder(String name, String[] backend) {
        contextRunner(backend).run(context -> {
            context.getBean(LlmCache.class).clear();
            CompletionService service = context.getBean(CompletionService.class);
            EmbeddingResponse first = service.embedding(embed(List.of("a", "b")));
            EmbeddingResponse second =
                    service.aembedding(embed(List.of("b", "c"))).block();
            assertThat(this.provider.requestCount()).isEqualTo(2);
            assertThat(inputOf(this.provider.lastRequest())).containsExactly("c");
            assertThat(second.cacheHit()).isFalse();
            assertThat(second.data())
                    .extracting(EmbeddingResponse.Embedding::index)
                    .containsExactly(0, 1);
            assertThat(second.data().get(0).embedding()).containsExactly(OpenAiFake.vectorArrayOf("b"));
            assertThat(second.data().get(1).embedding()).containsExactly(OpenAiFake.vectorArrayOf("c"));
            assertThat(first.usage().promptTokens()).isEqualTo(6);
            assertThat(second.usage().promptTokens())
                    .as("b's share of the first answer (3) plus the provider's usage for c (3)")
                    .isEqualTo(6);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aLargeRequestWithCachedItemsInTheMiddleComesBackInPlace(String name, String[] backend) {
        contextRunner(backend).run(context -> {
            context.getBean(LlmCache.class).clear();
            CompletionService service = context.getBean(CompletionService.class);
            List<String> items =
                    IntStream.range(0, 128).mapToObj(i -> "item-" + i).toList();
            service.embedding(embed(List.of("item-60", "item-61")));
            EmbeddingResponse response = service.embedding(embed(items));
            assertThat(inputOf(this.provider.lastRequest())).hasSize(126).doesNotContain("item-60", "item-61");
            assertThat(response.data()).hasSize(128);
            for (int i = 0; i < 128; i++) {
                assertThat(response.data().get(i).index()).isEqualTo(i);
                assertThat(response.data().get(i).embedding()).containsExactly(OpenAiFake.vectorArrayOf("item-" + i));
            }
            EmbeddingResponse again = service.aembedding(embed(items)).block();
            assertThat(again.cacheHit()).as("a full hit").isTrue();
            assertThat(again.data()).isEqualTo(response.data());
            assertThat(this.provider.requestCount())
                    .as("a full hit makes no request")
                    .isEqualTo(2);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void duplicateItemsAreSentOnce(String name, String[] backend) {
        contextRunner(backend).run(context -> {
            context.getBean(LlmCache.class).clear();
            EmbeddingResponse response =
                    context.getBean(CompletionService.class).embedding(embed(List.of("x", "y", "x")));
            assertThat(inputOf(this.provider.lastRequest())).containsExactly("x", "y");
            assertThat(response.data()).hasSize(3);
            assertThat(response.data().get(0).embedding()).containsExactly(OpenAiFake.vectorArrayOf("x"));
            assertThat(response.data().get(1).embedding()).containsExactly(OpenAiFake.vectorArrayOf("y"));
            assertThat(response.data().get(2).embedding()).containsExactly(OpenAiFake.vectorArrayOf("x"));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aTokenArrayRequestMissesThenHits(String name, String[] backend) {
        onEmptyCache(backend, service -> {
            EmbeddingRequest request = embedTokens(List.of(List.of(1, 2), List.of(3)));

            EmbeddingResponse first = service.embedding(request);
            EmbeddingResponse second = service.aembedding(request).block();

            assertThat(first.cacheHit()).isFalse();
            assertThat(tokensOf(this.provider.lastRequest())).containsExactly(List.of(1, 2), List.of(3));
            assertThat(second.cacheHit()).isTrue();
            assertThat(this.provider.requestCount()).isEqualTo(1);
            assertThat(second.data()).isEqualTo(first.data());
            assertThat(second.data().get(1).embedding()).containsExactly(OpenAiFake.vectorArrayOf(List.of(3)));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void onlyTheNewTokenArrayIsSentAndTheAnswerKeepsTheCallersOrder(String name, String[] backend) {
        onEmptyCache(backend, service -> {
            service.embedding(embedTokens(List.of(List.of(1, 2))));

            EmbeddingResponse second =
                    service.embedding(embedTokens(List.of(List.of(7, 8, 9), List.of(1, 2), List.of(7, 8, 9))));

            assertThat(this.provider.requestCount()).isEqualTo(2);
            assertThat(tokensOf(this.provider.lastRequest())).containsExactly(List.of(7, 8, 9));
            assertThat(second.cacheHit()).isFalse();
            assertThat(second.data())
                    .extracting(EmbeddingResponse.Embedding::index)
                    .containsExactly(0, 1, 2);
            assertThat(second.data().get(0).embedding()).containsExactly(OpenAiFake.vectorArrayOf(List.of(7, 8, 9)));
            assertThat(second.data().get(1).embedding()).containsExactly(OpenAiFake.vectorArrayOf(List.of(1, 2)));
            assertThat(second.data().get(2).embedding()).containsExactly(OpenAiFake.vectorArrayOf(List.of(7, 8, 9)));
            assertThat(second.usage().promptTokens())
                    .as("the cached array's usage (3) plus the provider's for the new one (3)")
                    .isEqualTo(6);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aFlatTokenArrayIsSentAsGivenThenHitsAndSharesItsEntryWithTheSameArrayAsAnItem(String name, String[] backend) {
        onEmptyCache(backend, service -> {
            EmbeddingRequest flat = EmbeddingRequest.builder()
                    .model("text-embedding-3-small")
                    .param("input", List.of(1, 2, 3))
                    .build();

            EmbeddingResponse first = service.embedding(flat);
            EmbeddingResponse second = service.aembedding(flat).block();
            EmbeddingResponse nested = service.embedding(embedTokens(List.of(List.of(1, 2, 3))));

            assertThat(this.provider.lastBody().path("input").toString()).isEqualTo("[1,2,3]");
            assertThat(this.provider.requestCount()).isEqualTo(1);
            assertThat(first.cacheHit()).isFalse();
            assertThat(second.cacheHit()).isTrue();
            assertThat(nested.cacheHit()).isTrue();
            assertThat(List.of(first, second, nested))
                    .allSatisfy(response -> assertThat(response.data())
                            .singleElement()
                            .satisfies(embedding -> assertThat(embedding.embedding())
                                    .containsExactly(OpenAiFake.vectorArrayOf(List.of(1, 2, 3)))));
        });
    }

    @Test
    void aTextRequestAndATokenRequestNeverAnswerEachOther() {
        contextRunner(new String[] {"litellm.cache.type=local"}).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.embedding(embed(List.of("[1,2]")));
            service.embedding(embedTokens(List.of(List.of(3))));

            EmbeddingResponse tokens = service.embedding(embedTokens(List.of(List.of(1, 2))));
            EmbeddingResponse text = service.embedding(embed(List.of("[3]")));

            assertThat(tokens.cacheHit()).isFalse();
            assertThat(text.cacheHit()).isFalse();
            assertThat(this.provider.requestCount()).isEqualTo(4);
        });
    }

    /** Runs {@code test} against the embedding service of an application on {@code backend}, its cache cleared. */
    private void onEmptyCache(String[] backend, Consumer<CompletionService> test) {
        contextRunner(backend).run(context -> {
            context.getBean(LlmCache.class).clear();
            test.accept(context.getBean(CompletionService.class));
        });
    }

    private static EmbeddingRequest embedTokens(List<List<Integer>> tokens) {
        return EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .inputTokens(tokens)
                .build();
    }

    private static List<List<Integer>> tokensOf(RecordedRequest request) {
        JsonNode input =
                JsonMapper.builder().build().readTree(request.getBody().utf8()).path("input");
        List<List<Integer>> arrays = new ArrayList<>();
        input.forEach(array -> {
            assertThat(array.isArray())
                    .as("each item is sent as an array of tokens")
                    .isTrue();
            List<Integer> tokens = new ArrayList<>();
            array.forEach(token -> tokens.add(token.intValue()));
            arrays.add(tokens);
        });
        return arrays;
    }

    private static List<String> inputOf(RecordedRequest request) {
        JsonNode input =
                JsonMapper.builder().build().readTree(request.getBody().utf8()).path("input");
        List<String> items = new ArrayList<>();
        input.forEach(item -> items.add(item.asString()));
        return items;
    }

    @Test
    void embeddingsWithARepeatedIndexAreRefusedRatherThanGivenToTheWrongItems() {
        refusedThenAnsweredRight(data -> reversed(withIndices(data, 0, 0)));
    }

    @Test
    void embeddingsWithAnIndexOutOfRangeAreRefused() {
        refusedThenAnsweredRight(data -> withIndices(data, 1, 2));
    }

    @Test
    void embeddingsOfDifferentLengthsAreRefused() {
        refusedThenAnsweredRight(data -> List.of(data.get(0), withVector(data.get(1), List.of(1f))));
    }

    @Test
    void fewerEmbeddingsThanInputsAreRefused() {
        refusedThenAnsweredRight(data -> List.of(data.get(0)));
    }

    @Test
    void noEmbeddingsAtAllAreRefused() {
        refusedThenAnsweredRight(data -> List.of());
    }

    @Test
    void anEmptyEmbeddingIsRefused() {
        refusedThenAnsweredRight(
                data -> List.of(withVector(data.get(0), List.of()), withVector(data.get(1), List.of())));
    }

    @ParameterizedTest
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY})
    void vectorsHoldingAValueThatIsNotANumberArePassedOnButNotCached(float notANumber) {
        contextRunner(new String[] {"litellm.cache.type=local"}).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            EmbeddingRequest request = embed(List.of("a", "bb"));
            this.provider.rewriteEmbeddings(
                    data -> List.of(data.get(0), withVector(data.get(1), List.of(notANumber, 1f, 1f))));
            EmbeddingResponse broken = service.embedding(request);
            this.provider.rewriteEmbeddings(UnaryOperator.identity());

            EmbeddingResponse next = service.embedding(request);

            assertThat(broken.data().get(1).embedding()).containsExactly(notANumber, 1f, 1f);
            assertThat(next.cacheHit()).isFalse();
            assertThat(next.data().get(1).embedding()).containsExactly(OpenAiFake.vectorArrayOf("bb"));
        });
    }

    @Test
    void vectorsOfAnotherLengthThanTheDimensionsAskedForArePassedOnButNotCached() {
        contextRunner(new String[] {"litellm.cache.type=local"}).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            EmbeddingRequest ignored = EmbeddingRequest.builder()
                    .model("text-embedding-3-small")
                    .input(List.of("a", "bb"))
                    .dimensions(256)
                    .build();
            EmbeddingRequest honoured = EmbeddingRequest.builder()
                    .model("text-embedding-3-small")
                    .input(List.of("a", "bb"))
                    .dimensions(3)
                    .build();

            EmbeddingResponse first = service.embedding(ignored);
            EmbeddingResponse second = service.embedding(ignored);
            service.embedding(honoured);
            EmbeddingResponse honouredAgain = service.embedding(honoured);

            assertThat(first.data().get(0).dimensions())
                    .as("the fake gives 3 dimensions whatever is asked, as a provider that ignores the parameter")
                    .isEqualTo(3);
            assertThat(second.cacheHit()).isFalse();
            assertThat(honouredAgain.cacheHit()).isTrue();
            assertThat(this.provider.requestCount()).isEqualTo(3);
        });
    }

    @Test
    void embeddingsInAnotherOrderThanTheInputsAreEachGivenToTheirOwnItem() {
        contextRunner(new String[] {"litellm.cache.type=local"}).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            this.provider.rewriteEmbeddings(EmbeddingItemCacheTests::reversed);
            EmbeddingResponse first = service.embedding(embed(List.of("a", "bb")));
            this.provider.rewriteEmbeddings(UnaryOperator.identity());
            EmbeddingResponse hit = service.embedding(embed(List.of("bb", "a")));

            assertThat(first.data().get(0).embedding()).containsExactly(OpenAiFake.vectorArrayOf("a"));
            assertThat(first.data().get(1).embedding()).containsExactly(OpenAiFake.vectorArrayOf("bb"));
            assertThat(hit.cacheHit()).isTrue();
            assertThat(hit.data().get(0).embedding()).containsExactly(OpenAiFake.vectorArrayOf("bb"));
            assertThat(hit.data().get(1).embedding()).containsExactly(OpenAiFake.vectorArrayOf("a"));
        });
    }

    /**
     * The provider answers {@code a} and {@code bb} with what {@code rewrite} makes of its embeddings: the call fails
     * with a provider error and stores nothing, so the next call asks again and gets each item's own vector.
     */
    private void refusedThenAnsweredRight(UnaryOperator<List<Map<String, Object>>> rewrite) {
        contextRunner(new String[] {"litellm.cache.type=local"}).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            EmbeddingRequest request = embed(List.of("a", "bb"));
            this.provider.rewriteEmbeddings(rewrite);

            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> service.embedding(request))
                    .withMessageContaining("the provider returned")
                    .satisfies(error -> assertThat(error.statusCode()).isZero());

            this.provider.rewriteEmbeddings(UnaryOperator.identity());
            EmbeddingResponse second = service.embedding(request);
            assertThat(second.cacheHit()).isFalse();
            assertThat(second.data().get(0).embedding()).containsExactly(OpenAiFake.vectorArrayOf("a"));
            assertThat(second.data().get(1).embedding()).containsExactly(OpenAiFake.vectorArrayOf("bb"));
        });
    }

    private static List<Map<String, Object>> withIndices(List<Map<String, Object>> data, int... indices) {
        List<Map<String, Object>> indexed = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            Map<String, Object> embedding = new HashMap<>(data.get(i));
            embedding.put("index", indices[i]);
            indexed.add(embedding);
        }
        return indexed;
    }

    private static Map<String, Object> withVector(Map<String, Object> embedding, List<Float> vector) {
        Map<String, Object> changed = new HashMap<>(embedding);
        changed.put("embedding", vector);
        return changed;
    }

    private static List<Map<String, Object>> reversed(List<Map<String, Object>> data) {
        List<Map<String, Object>> reversed = new ArrayList<>(data);
        Collections.reverse(reversed);
        return reversed;
    }

    @Test
    void changingAReturnedVectorChangesNoCachedEntry() {
        contextRunner(new String[] {"litellm.cache.type=local"}).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            EmbeddingRequest request =
                    EmbeddingRequest.builder().model("e").input("text").build();
            float[] first = service.embedding(request).data().get(0).embedding();
            float original = first[0];
            first[0] = 12345f;
            EmbeddingResponse hit = service.embedding(request);
            assertThat(hit.cacheHit()).isTrue();
            assertThat(hit.data().get(0).embedding()[0]).isEqualTo(original);
        });
    }

    @Test
    void itemsCachedFromAnotherModelAreAskedForAgainRatherThanServedBesideTheNewModelsVectors() {
        afterTheModelChanged(() -> this.provider.answerEmbeddingsAsModel("text-embedding-3-large"), (both, again) -> {
            assertThat(both.model()).isEqualTo("text-embedding-3-large");
            assertThat(again.model()).isEqualTo("text-embedding-3-large");
        });
    }

    @Test
    void itemsCachedWithVectorsOfAnotherLengthAreAskedForAgain() {
        afterTheModelChanged(() -> this.provider.answerEveryEmbeddingWith(List.of(1f, 2f, 3f, 4f)), (both, again) -> {
            assertThat(both.data())
                    .allSatisfy(embedding -> assertThat(embedding.embedding()).containsExactly(1f, 2f, 3f, 4f));
            assertThat(again.data().get(0).embedding()).containsExactly(1f, 2f, 3f, 4f);
        });
    }

    /**
     * Caches {@code a}, lets {@code change} swap the model behind the name, then asks for {@code a}
     * and {@code bb}: the cached {@code a} must be asked for again with {@code bb}, not served beside
     * it, and stored anew; {@code check} is given that answer and the next one for {@code a}.
     */
    private void afterTheModelChanged(Runnable change, BiConsumer<EmbeddingResponse, EmbeddingResponse> check) {
        contextRunner(new String[] {"litellm.cache.type=local"}).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.embedding(embed(List.of("a")));
            change.run();

            EmbeddingResponse both = service.embedding(embed(List.of("a", "bb")));
            EmbeddingResponse again = service.embedding(embed(List.of("a")));

            assertThat(this.provider.requests().stream().map(EmbeddingItemCacheTests::inputOf))
                    .containsExactly(List.of("a"), List.of("bb"), List.of("a", "bb"));
            assertThat(both.cacheHit()).isFalse();
            assertThat(again.cacheHit()).isTrue();
            check.accept(both, again);
        });
    }

    @Test
    void cachedItemsOfTwoModelsAreAskedForAgainRatherThanServedTogether() {
        contextRunner(new String[] {"litellm.cache.type=local"}).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.embedding(embed(List.of("a")));
            this.provider.answerEmbeddingsAsModel("text-embedding-3-large");
            service.embedding(embed(List.of("bb")));

            EmbeddingResponse both = service.embedding(embed(List.of("a", "bb")));

            assertThat(inputOf(this.provider.lastRequest())).containsExactly("a", "bb");
            assertThat(this.provider.requestCount()).isEqualTo(3);
            assertThat(both.cacheHit()).isFalse();
            assertThat(both.model()).isEqualTo("text-embedding-3-large");
        });
    }
}
