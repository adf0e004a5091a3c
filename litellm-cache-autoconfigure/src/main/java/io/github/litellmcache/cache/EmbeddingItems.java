package io.github.litellmcache.cache;

import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.completion.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The items of one embedding request, each cached on its own: under the key of the same request
 * with {@code input} set to that item. Duplicate items are looked up and sent once. Puts the
 * answer back together in the caller's order, with indices 0..n-1.
 */
final class EmbeddingItems {

    private final EmbeddingRequest request;
    private final Map<String, CacheKey> keys = new LinkedHashMap<>();

    EmbeddingItems(
            EmbeddingRequest request, @Nullable String namespace, CallType callType, CacheKeyGenerator keyGenerator) {
        this.request = request;
        for (String item : request.input()) {
            this.keys.computeIfAbsent(
                    item,
                    text -> new CacheKey(
                            namespace, keyGenerator.generateKey(callType, request.withInput(List.of(text)))));
        }
    }

    List<CacheKey> keys() {
        return List.copyOf(this.keys.values());
    }

    /** The distinct items without a usable entry in {@code hits}, in the order they first appear. */
    List<String> missing(Map<CacheKey, EmbeddingResponse> hits) {
        return this.keys.entrySet().stream()
                .filter(item -> !hits.containsKey(item.getValue()))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** The request for the {@code missing} items only. */
    EmbeddingRequest requestFor(List<String> missing) {
        return this.request.withInput(missing);
    }

    /**
     * One entry per missing item from the provider's answer; the answer's usage is shared out by
     * the items' lengths.
     */
    Map<CacheKey, CacheEntry> entries(List<String> missing, EmbeddingResponse fresh, Instant storedAt) {
        List<float[]> vectors = vectors(missing, fresh);
        List<Usage> usages = shares(missing, fresh.usage());
        Map<CacheKey, CacheEntry> entries = new HashMap<>();
        for (int i = 0; i < missing.size(); i++) {
            EmbeddingResponse item = new EmbeddingResponse(
                    List.of(new EmbeddingResponse.Embedding(0, vectors.get(i))), fresh.model(), usages.get(i));
            entries.put(this.keys.get(missing.get(i)), new CacheEntry(item, storedAt));
        }
        return entries;
    }

    /**
     * The whole answer: every item of the request in its order, from the cache or from
     * {@code fresh}; usage is that of the cached items plus the provider's.
     */
    EmbeddingResponse assemble(
            Map<CacheKey, EmbeddingResponse> hits, List<String> missing, @Nullable EmbeddingResponse fresh) {
        Map<String, float[]> freshVectors = new HashMap<>();
        if (fresh != null) {
            List<float[]> vectors = vectors(missing, fresh);
            for (int i = 0; i < missing.size(); i++) {
                freshVectors.put(missing.get(i), vectors.get(i));
            }
        }
        List<EmbeddingResponse.Embedding> data = new ArrayList<>();
        for (String item : this.request.input()) {
            EmbeddingResponse hit = hits.get(this.keys.get(item));
            float[] vector = (hit != null) ? hit.data().get(0).embedding() : freshVectors.get(item);
            data.add(new EmbeddingResponse.Embedding(data.size(), vector));
        }
        Usage usage = (fresh != null && fresh.usage() != null) ? fresh.usage() : Usage.NONE;
        for (EmbeddingResponse hit : hits.values()) {
            if (hit.usage() != null) {
                usage = usage.plus(hit.usage());
            }
        }
        String model = (fresh != null)
                ? fresh.model()
                : hits.values().iterator().next().model();
        return new EmbeddingResponse(data, model, usage);
    }

    /** The provider's vectors in the order of {@code missing}; a short or malformed answer is an error. */
    private static List<float[]> vectors(List<String> missing, EmbeddingResponse fresh) {
        List<EmbeddingResponse.Embedding> data = new ArrayList<>(fresh.data());
        data.sort(Comparator.comparingInt(EmbeddingResponse.Embedding::index));
        if (data.size() != missing.size()) {
            throw new LlmException(
                    0, "the provider returned " + data.size() + " embeddings for " + missing.size() + " inputs");
        }
        return data.stream().map(EmbeddingResponse.Embedding::embedding).toList();
    }

    private static List<Usage> shares(List<String> items, @Nullable Usage total) {
        if (total == null) {
            return items.stream().map(item -> (Usage) null).toList();
        }
        long length = Math.max(1, items.stream().mapToLong(String::length).sum());
        List<Usage> shares = new ArrayList<>();
        int promptLeft = total.promptTokens();
        int totalLeft = total.totalTokens();
        for (int i = 0; i < items.size(); i++) {
            boolean last = i == items.size() - 1;
            int prompt = last
                    ? promptLeft
                    : (int) ((long) total.promptTokens() * items.get(i).length() / length);
            int all = last
                    ? totalLeft
                    : (int) ((long) total.totalTokens() * items.get(i).length() / length);
            shares.add(new Usage(prompt, 0, all));
            promptLeft -= prompt;
            totalLeft -= all;
        }
        return shares;
    }
}
