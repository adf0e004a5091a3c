package io.github.litellmcache.cache.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheKeyGenerator;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link EmbeddingItems}: how one embedding request is split into items and put back together. */
class EmbeddingItemsTests {

    @Test
    void usageSharesOfLongItemsDoNotOverflow() {
        String longItem = "x".repeat(60_000);
        EmbeddingItems<?> items =
                keyedByParams(EmbeddingRequest.builder().model("e").input(List.of(longItem, longItem + "y")));
        Map<CacheKey, CacheEntry> entries = entries(items, twoVectors(new Usage(60_000, 0, 60_000)));
        assertThat(entries.values())
                .extracting(entry -> entry.response().usage().promptTokens())
                .allSatisfy(tokens -> assertThat(tokens).isBetween(29_000L, 31_000L));
    }

    @Test
    void usageSharesOfTheLargestCountsDoNotOverflow() {
        EmbeddingItems<?> items =
                keyedByParams(EmbeddingRequest.builder().model("e").input(List.of("xxx", "y")));
        long total = Long.MAX_VALUE / 2;

        Map<CacheKey, CacheEntry> entries = entries(items, twoVectors(new Usage(total, 0, total)));

        assertThat(entries.values())
                .extracting(entry -> entry.response().usage().promptTokens())
                .allSatisfy(tokens -> assertThat(tokens).isNotNegative())
                .satisfies(tokens -> assertThat(
                                tokens.stream().mapToLong(Long::longValue).sum())
                        .isEqualTo(total));
    }

    @Test
    void usageOfTokenArraysIsSharedOutByTheirTokenCounts() {
        EmbeddingItems<?> items =
                keyedByParams(EmbeddingRequest.builder().model("e").inputTokens(List.of(List.of(1), List.of(1, 2, 3))));

        Map<CacheKey, CacheEntry> entries = entries(items, twoVectors(new Usage(8, 0, 8)));

        assertThat(items.usable()).isTrue();
        assertThat(entries.values())
                .extracting(entry -> entry.response().usage().promptTokens())
                .containsExactlyInAnyOrder(2L, 6L);
    }

    @Test
    void tokenArraysWhoseHashCodesCollideEachKeepTheirOwnEmbeddingInTheCallersOrder() {
        List<List<Integer>> arrays = IntStream.range(0, 40)
                .mapToObj(i -> List.of(7, i, 31 * 40 - 31 * i))
                .toList();
        assertThat(arrays.stream().map(List::hashCode).distinct()).hasSize(1);
        EmbeddingItems<?> items = EmbeddingItems.of(
                EmbeddingRequest.builder()
                        .model("e")
                        .inputTokens(arrays)
                        .inputTokens(IntStream.range(0, 80)
                                .mapToObj(i -> arrays.get(i % 40))
                                .toList())
                        .build(),
                null,
                CallType.EMBEDDING,
                new CheckedKeys((callType, item) -> item.params().toString()));
        assertThat(items.usable()).isTrue();
        assertThat(items.keys()).hasSize(40);
        EmbeddingResponse fresh = new EmbeddingResponse(
                IntStream.range(0, 40)
                        .mapToObj(i -> new EmbeddingResponse.Embedding(i, new float[] {i}))
                        .toList(),
                "e",
                null);

        EmbeddingResponse assembled = assembled(items, fresh);

        assertThat(assembled.data())
                .extracting(embedding -> embedding.embedding()[0])
                .containsExactlyElementsOf(
                        IntStream.range(0, 80).mapToObj(i -> (float) (i % 40)).toList());
    }

    private static <T> EmbeddingResponse assembled(EmbeddingItems<T> items, EmbeddingResponse fresh) {
        return items.assemble(Map.of(), items.missing(Map.of()), fresh);
    }

    /** The items of {@code request}, keyed by the hash of their request's parameters. */
    private static EmbeddingItems<?> keyedByParams(EmbeddingRequest.Builder request) {
        return EmbeddingItems.of(
                request.build(),
                null,
                CallType.EMBEDDING,
                new CheckedKeys((callType, item) -> String.valueOf(item.params().hashCode())));
    }

    /** The provider's answer for two items, with {@code usage}. */
    private static EmbeddingResponse twoVectors(Usage usage) {
        return new EmbeddingResponse(
                List.of(
                        new EmbeddingResponse.Embedding(0, new float[] {1f}),
                        new EmbeddingResponse.Embedding(1, new float[] {2f})),
                "e",
                usage);
    }

    /** The entries of every item of {@code items}, all missing and answered by {@code fresh}. */
    private static <T> Map<CacheKey, CacheEntry> entries(EmbeddingItems<T> items, EmbeddingResponse fresh) {
        return items.entries(items.missing(Map.of()), fresh, Instant.now());
    }

    @Test
    void whatTheItemsShareIsPreparedOnceAndEachItemKeyedAlone() {
        AtomicInteger prepared = new AtomicInteger();
        CacheKeyGenerator generator = new CacheKeyGenerator() {

            @Override
            public String generateKey(CallType callType, LlmRequest request) {
                throw new IllegalStateException("items are keyed through itemKeys");
            }

            @Override
            public Function<String, String> itemKeys(CallType callType, EmbeddingRequest request) {
                prepared.incrementAndGet();
                return item -> "item-" + item;
            }
        };
        List<String> input =
                IntStream.range(0, 1_000).mapToObj(i -> "text " + i).toList();

        EmbeddingItems<String> items = new EmbeddingItems<>(
                EmbeddingItems.ItemKind.TEXTS,
                EmbeddingRequest.builder().model("e").input(input).build(),
                "ns",
                CallType.EMBEDDING,
                new CheckedKeys(generator));

        assertThat(prepared).hasValue(1);
        assertThat(items.usable()).isTrue();
        assertThat(items.keys()).hasSize(1_000).contains(new CacheKey("ns", "item-text 7"));
    }

    @Test
    void aGeneratorThatCannotPrepareItemKeysLeavesTheItemsUncached() {
        CacheKeyGenerator generator = new CacheKeyGenerator() {

            @Override
            public String generateKey(CallType callType, LlmRequest request) {
                return "whole";
            }

            @Override
            public Function<String, String> itemKeys(CallType callType, EmbeddingRequest request) {
                throw new IllegalStateException("no item keys");
            }
        };

        EmbeddingItems<String> items = new EmbeddingItems<>(
                EmbeddingItems.ItemKind.TEXTS,
                EmbeddingRequest.builder().model("e").input(List.of("a", "b")).build(),
                null,
                CallType.EMBEDDING,
                new CheckedKeys(generator));

        assertThat(items.usable()).isFalse();
    }
}
