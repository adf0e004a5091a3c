package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.completion.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The items of one embedding request, its texts or its token arrays, each cached on its own under
 * its item key ({@link io.github.litellmcache.cache.CacheKeyGenerator#itemKeys},
 * {@link io.github.litellmcache.cache.CacheKeyGenerator#tokenItemKeys}), prepared once per request.
 * Duplicate items are looked up and sent once. Puts the answer back together in the caller's order,
 * with indices 0..n-1.
 *
 * @param <T> an item: a text ({@code String}) or a token array ({@code List<Integer>})
 */
final class EmbeddingItems<T> {

    private final EmbeddingRequest request;

    private final ItemKind<T> kind;

    /**
     * Each distinct item and its key, by the item's {@linkplain ItemKind#identity identity}: a string,
     * so that items whose hash codes collide (token arrays' are easy to make collide) are still found
     * in logarithmic time, strings being comparable.
     */
    private final Map<String, Item<T>> items = new LinkedHashMap<>();

    /** The key of each item of the request, in the caller's order. */
    private final List<CacheKey> order = new ArrayList<>();

    /** False when an item has no usable key, or two different items share one: then no item is cached. */
    private final boolean usable;

    /** The length of vector the request asks for ({@code dimensions}), or null when it names none. */
    private final @Nullable Number dimensions;

    EmbeddingItems(
            ItemKind<T> kind,
            EmbeddingRequest request,
            @Nullable String namespace,
            CallType callType,
            CheckedKeys checkedKeys) {
        this.request = request;
        this.kind = kind;
        List<T> input = kind.items().apply(request);
        Function<T, @Nullable String> itemKeys = kind.keys().of(checkedKeys, callType, request);
        boolean usable = !input.isEmpty();
        for (T item : input) {
            String identity = kind.identity().apply(item);
            Item<T> known = this.items.get(identity);
            if (known == null) {
                String key = itemKeys.apply(item);
                usable &= (key != null);
                known = new Item<>(item, new CacheKey(namespace, (key != null) ? key : "item " + this.items.size()));
                this.items.put(identity, known);
            }
            this.order.add(known.key());
        }
        this.usable = usable && Set.copyOf(keys()).size() == this.items.size();
        this.dimensions = (request.params().get("dimensions") instanceof Number asked) ? asked : null;
    }

    /** The items of {@code request}: its token arrays when it has some, else its texts. */
    static EmbeddingItems<?> of(
            EmbeddingRequest request, @Nullable String namespace, CallType callType, CheckedKeys checkedKeys) {
        return request.inputTokens().isEmpty()
                ? new EmbeddingItems<>(ItemKind.TEXTS, request, namespace, callType, checkedKeys)
                : new EmbeddingItems<>(ItemKind.TOKEN_ARRAYS, request, namespace, callType, checkedKeys);
    }

    /**
     * Whether the items can be cached: every item has its own key. A key generator that returns one
     * key for different items would otherwise give every item the first one's vector.
     */
    boolean usable() {
        return this.usable;
    }

    /**
     * Whether each vector of {@code response} has the length the request asks for with {@code dimensions} (any
     * length when it names none). A provider that ignores the parameter answers with its model's full length: that
     * answer is passed on, but neither stored nor served from the cache, so that a request for 256 dimensions is
     * never answered from the cache with vectors of another length.
     */
    boolean hasAskedDimensions(EmbeddingResponse response) {
        return this.dimensions == null
                || response.data().stream()
                        .allMatch(embedding -> embedding.dimensions() == this.dimensions.doubleValue());
    }

    /**
     * Whether {@code stored}, found under an item's key, can answer that item: it holds one embedding, of the
     * {@linkplain #hasAskedDimensions asked length}. An entry holding several, which this cache never writes under an
     * item key, could give the item another item's vector.
     */
    boolean answersAnItem(EmbeddingResponse stored) {
        return stored.data().size() == 1 && hasAskedDimensions(stored);
    }

    List<CacheKey> keys() {
        return this.items.values().stream().map(Item::key).toList();
    }

    /** The distinct items without a usable entry in {@code hits}, in the order they first appear. */
    List<Item<T>> missing(Map<CacheKey, EmbeddingResponse> hits) {
        return this.items.values().stream()
                .filter(item -> !hits.containsKey(item.key()))
                .toList();
    }

    /**
     * The request for the {@code missing} items only: the caller's request as it is when those are all
     * its items, each once, so that its input is sent as given (a flat token array as one).
     */
    EmbeddingRequest requestFor(List<Item<T>> missing) {
        if (missing.size() == this.order.size()) {
            return this.request;
        }
        return this.kind
                .requestFor()
                .apply(this.request, missing.stream().map(Item::value).toList());
    }

    /**
     * One entry per missing item from the provider's answer, with the answer's own fields and the
     * embedding's; the answer's usage is shared out by the items' lengths (whole, details included,
     * when there is one item).
     */
    Map<CacheKey, CacheEntry> entries(List<Item<T>> missing, EmbeddingResponse fresh, Instant storedAt) {
        List<EmbeddingResponse.Embedding> embeddings = embeddings(missing, fresh);
        List<Usage> usages = shares(missing, fresh.usage());
        Map<CacheKey, CacheEntry> entries = new HashMap<>();
        for (int i = 0; i < missing.size(); i++) {
            EmbeddingResponse item = new EmbeddingResponse(
                    List.of(embeddings.get(i).withIndex(0)), fresh.model(), usages.get(i), fresh.extraFields());
            entries.put(missing.get(i).key(), new CacheEntry(item, storedAt));
        }
        return entries;
    }

    /**
     * The whole answer: every item of the request in its order, from the cache or from
     * {@code fresh}, each embedding with its own fields; usage is that of the cached items plus the
     * provider's (as it is, details included, when there is one of them); the answer's own fields
     * are the provider's, or those of a cached item when every item was cached.
     */
    EmbeddingResponse assemble(
            Map<CacheKey, EmbeddingResponse> hits, List<Item<T>> missing, @Nullable EmbeddingResponse fresh) {
        Map<CacheKey, EmbeddingResponse.Embedding> freshEmbeddings = new HashMap<>();
        if (fresh != null) {
            List<EmbeddingResponse.Embedding> embeddings = embeddings(missing, fresh);
            for (int i = 0; i < missing.size(); i++) {
                freshEmbeddings.put(missing.get(i).key(), embeddings.get(i));
            }
        }
        List<EmbeddingResponse.Embedding> data = new ArrayList<>();
        for (CacheKey key : this.order) {
            EmbeddingResponse hit = hits.get(key);
            EmbeddingResponse.Embedding embedding = (hit != null) ? hit.data().get(0) : freshEmbeddings.get(key);
            data.add(embedding.withIndex(data.size()));
        }
        Usage usage = (fresh != null) ? fresh.usage() : null;
        for (EmbeddingResponse hit : hits.values()) {
            if (hit.usage() != null) {
                usage = (usage != null) ? usage.plus(hit.usage()) : hit.usage();
            }
        }
        EmbeddingResponse source =
                (fresh != null) ? fresh : hits.values().iterator().next();
        return new EmbeddingResponse(data, source.model(), (usage != null) ? usage : Usage.NONE, source.extraFields());
    }

    /**
     * Whether {@code responses}, cached items and the provider's answer, come from one model: they
     * name the same model and their vectors have one length. When the model behind a name changes (an
     * Azure deployment, a self-hosted server), the items cached before must not be served beside the
     * new model's vectors, even of the same length: they are not comparable.
     */
    static boolean oneModel(Collection<EmbeddingResponse> responses) {
        long models =
                responses.stream().map(EmbeddingResponse::model).distinct().count();
        long lengths = responses.stream()
                .flatMap(response -> response.data().stream())
                .mapToInt(EmbeddingResponse.Embedding::dimensions)
                .distinct()
                .count();
        return models <= 1 && lengths <= 1;
    }

    /** The total tokens of the usage of {@code responses}, such as the cached items of an answer. */
    static long tokens(Collection<EmbeddingResponse> responses) {
        long tokens = 0;
        for (EmbeddingResponse response : responses) {
            tokens += (response.usage() != null) ? response.usage().totalTokens() : 0;
        }
        return tokens;
    }

    /**
     * The provider's embeddings in the order of {@code missing}, placed by their indices. An answer that does not give
     * each item one embedding under its own index, all of one length (not zero), is an error: storing it could give an
     * item another's vector.
     */
    private static List<EmbeddingResponse.Embedding> embeddings(List<?> missing, EmbeddingResponse fresh) {
        List<EmbeddingResponse.Embedding> data = fresh.data();
        if (data.size() != missing.size()) {
            throw malformed(data.size() + " embeddings for " + missing.size() + " inputs");
        }
        EmbeddingResponse.Embedding[] byIndex = new EmbeddingResponse.Embedding[data.size()];
        int dimensions = data.get(0).dimensions();
        for (EmbeddingResponse.Embedding embedding : data) {
            int index = embedding.index();
            if (index < 0 || index >= byIndex.length || byIndex[index] != null) {
                throw malformed("the index " + index + " out of range or twice: the " + data.size()
                        + " embeddings must have the indices 0 to " + (data.size() - 1) + ", each once");
            }
            if (embedding.dimensions() != dimensions || dimensions == 0) {
                throw malformed("embeddings of " + dimensions + " and " + embedding.dimensions()
                        + " dimensions in one answer: each must have the same number, not zero");
            }
            byIndex[index] = embedding;
        }
        return Arrays.asList(byIndex);
    }

    private static LlmException malformed(String what) {
        return new LlmException(0, "the provider returned " + what);
    }

    private List<Usage> shares(List<Item<T>> items, @Nullable Usage total) {
        if (total == null) {
            return items.stream().map(item -> (Usage) null).toList();
        }
        if (items.size() == 1) {
            return List.of(total);
        }
        long length = Math.max(1, items.stream().mapToLong(this::length).sum());
        List<Usage> shares = new ArrayList<>();
        long promptLeft = total.promptTokens();
        long totalLeft = total.totalTokens();
        for (int i = 0; i < items.size(); i++) {
            boolean last = i == items.size() - 1;
            long prompt = last ? promptLeft : share(total.promptTokens(), length(items.get(i)), length);
            long all = last ? totalLeft : share(total.totalTokens(), length(items.get(i)), length);
            shares.add(new Usage(prompt, 0, all));
            promptLeft -= prompt;
            totalLeft -= all;
        }
        return shares;
    }

    /**
     * {@code count * part / whole}, {@code part} being at most {@code whole}: exact while the product fits a long,
     * else close, never past {@code count}, so that a provider's largest counts are not shared out as negative ones.
     */
    private static long share(long count, long part, long whole) {
        long product = count * part;
        return (Math.multiplyHigh(count, part) == 0 && product >= 0)
                ? product / whole
                : (long) (count * ((double) part / whole));
    }

    private long length(Item<T> item) {
        return this.kind.length().applyAsInt(item.value());
    }

    /** A distinct item of the request and its key. */
    record Item<T>(T value, CacheKey key) {}

    /**
     * What the items of a request are, texts or token arrays: how they are read from it, told apart
     * (by a string equal for equal items only), keyed, put in a request of their own, and measured to
     * share out usage (characters or tokens).
     */
    record ItemKind<T>(
            Function<EmbeddingRequest, List<T>> items,
            Function<T, String> identity,
            ItemKeys<T> keys,
            BiFunction<EmbeddingRequest, List<T>, EmbeddingRequest> requestFor,
            ToIntFunction<T> length) {

        static final ItemKind<String> TEXTS = new ItemKind<>(
                EmbeddingRequest::input,
                Function.identity(),
                CheckedKeys::itemKeysOf,
                EmbeddingRequest::withInput,
                String::length);

        static final ItemKind<List<Integer>> TOKEN_ARRAYS = new ItemKind<>(
                EmbeddingRequest::inputTokens,
                ItemKind::packed,
                CheckedKeys::tokenItemKeysOf,
                EmbeddingRequest::withInputTokens,
                List::size);

        /** The tokens as a string of two characters each, the high and low halves of the token. */
        private static String packed(List<Integer> tokens) {
            StringBuilder packed = new StringBuilder(2 * tokens.size());
            for (int token : tokens) {
                packed.append((char) (token >>> 16)).append((char) token);
            }
            return packed.toString();
        }
    }

    /** The checked key of each item of a request. */
    @FunctionalInterface
    interface ItemKeys<T> {

        Function<T, @Nullable String> of(CheckedKeys checkedKeys, CallType callType, EmbeddingRequest request);
    }
}
