package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheOutcome;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Embeddings, cached item by item ({@link EmbeddingItems}): the items are read together, only the
 * missing ones are sent to the provider, and the answer is put back together in the caller's order.
 * When the provider fails and every missing item has an entry kept as stale, those answer
 * ({@code staleIfError}); otherwise the error is raised. Entries are served together, or beside the
 * provider's vectors, only when they come from one model ({@link EmbeddingItems#oneModel}); when they
 * do not, every item is asked for again and stored anew. Vectors of another length than the request's
 * {@code dimensions} are neither stored nor served ({@link EmbeddingItems#hasAskedDimensions}).
 */
final class EmbeddingItemsShape extends WholeResponseShape {

    private final CheckedKeys keys;

    EmbeddingItemsShape(Clock clock, CheckedKeys keys) {
        super(clock);
        this.keys = keys;
    }

    /** Nothing is read under the request's own key: its items are read when it is resolved. */
    @Override
    Step<Read<CacheEntry>> firstRead(Call call) {
        return Step.of(Read.empty());
    }

    @Override
    Step<Answer> obtain(Call call, boolean readFailed, boolean leads) {
        CachePlan plan = call.plan();
        EmbeddingItems<?> items = EmbeddingItems.of(
                (EmbeddingRequest) call.request(), plan.key().namespace(), plan.callType(), this.keys);
        if (!items.usable()) {
            return call.provider()
                    .<EmbeddingResponse>answer(call.request())
                    .map(fresh -> answer(fresh, CacheOutcome.BYPASS, Map.of()));
        }
        Step<Read<Map<CacheKey, CacheEntry>>> found =
                plan.read() ? call.backend().readAll(items.keys(), call.mode()) : Step.of(Read.empty());
        return found.flatMap(read -> answerFrom(call, items, read));
    }

    /**
     * The answer to the items, given what {@code read} found: whole from the cache, else with the
     * missing items from the provider, or from the entries kept as stale when the provider fails.
     */
    private <T> Step<Answer> answerFrom(Call call, EmbeddingItems<T> items, Read<Map<CacheKey, CacheEntry>> read) {
        CachePlan plan = call.plan();
        Map<CacheKey, CacheEntry> accepted = new HashMap<>();
        Map<CacheKey, CacheEntry> stale = new HashMap<>();
        if (read.value() != null) {
            read.value().forEach((key, entry) -> {
                if (!(entry.response() instanceof EmbeddingResponse response) || !items.answersAnItem(response)) {
                    return;
                }
                if (plan.accepts(entry, this.clock)) {
                    accepted.put(key, entry);
                } else if (plan.keepsAsStale(entry, this.clock)) {
                    stale.put(key, entry);
                }
            });
        }
        Map<CacheKey, EmbeddingResponse> hits = responses(accepted);
        if (!EmbeddingItems.oneModel(hits.values())) {
            accepted.clear();
            hits = Map.of();
        }
        List<EmbeddingItems.Item<T>> missing = items.missing(hits);
        if (missing.isEmpty()) {
            return Step.of(answer(items.assemble(hits, missing, null), CacheOutcome.HIT, accepted));
        }
        Step<Answer> fresh = fresh(call, items, read.failed(), hits, missing, accepted);
        if (stale.isEmpty()) {
            return fresh;
        }
        stale.putAll(accepted);
        Map<CacheKey, EmbeddingResponse> known = responses(stale);
        return items.missing(known).isEmpty() && EmbeddingItems.oneModel(known.values())
                ? fresh.onErrorResume(
                        ProviderFailures::isOutage,
                        error -> Step.of(answer(items.assemble(known, List.of(), null), CacheOutcome.STALE, stale)))
                : fresh;
    }

    /**
     * The {@code missing} items from the provider, stored unless the read failed, assembled with the
     * {@code hits}; or, when the hits come from another model than the answer, every item from the provider.
     */
    private <T> Step<Answer> fresh(
            Call call,
            EmbeddingItems<T> items,
            boolean readFailed,
            Map<CacheKey, EmbeddingResponse> hits,
            List<EmbeddingItems.Item<T>> missing,
            Map<CacheKey, CacheEntry> accepted) {
        CachePlan plan = call.plan();
        return call.provider()
                .<EmbeddingResponse>answer(items.requestFor(missing))
                .flatMap(answer -> {
                    Map<CacheKey, CacheEntry> entries = items.entries(missing, answer, this.clock.instant());
                    if (!hits.isEmpty() && !EmbeddingItems.oneModel(both(hits.values(), answer))) {
                        return fresh(call, items, readFailed, Map.of(), items.missing(Map.of()), Map.of());
                    }
                    entries.replaceAll((key, entry) -> plan.stored(entry));
                    Step<?> write = (readFailed || !plan.stores(answer) || !items.hasAskedDimensions(answer))
                            ? Step.empty()
                            : call.writeAll(entries);
                    EmbeddingResponse assembled = items.assemble(hits, missing, answer);
                    call.watch().savedInPart(EmbeddingItems.tokens(hits.values()));
                    return write.thenReturn(answer(assembled, CacheOutcome.MISS, accepted));
                });
    }

    /**
     * The assembled response as one entry, stored when its oldest part was, so that a caller who
     * joins the flight applies its own {@code sMaxAge} to what the leader read.
     */
    private Answer answer(EmbeddingResponse assembled, CacheOutcome outcome, Map<CacheKey, CacheEntry> parts) {
        Instant storedAt = parts.values().stream()
                .map(CacheEntry::storedAt)
                .min(Instant::compareTo)
                .orElseGet(this.clock::instant);
        return new Answer(new CacheEntry(assembled, storedAt), outcome);
    }

    private static List<EmbeddingResponse> both(Collection<EmbeddingResponse> hits, EmbeddingResponse fresh) {
        List<EmbeddingResponse> both = new ArrayList<>(hits);
        both.add(fresh);
        return both;
    }

    private static Map<CacheKey, EmbeddingResponse> responses(Map<CacheKey, CacheEntry> entries) {
        Map<CacheKey, EmbeddingResponse> responses = new HashMap<>();
        entries.forEach((key, entry) -> responses.put(key, (EmbeddingResponse) entry.response()));
        return responses;
    }
}
