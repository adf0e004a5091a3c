package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheOutcome;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Embeddings, cached item by item ({@link EmbeddingItems}): the items are read together, only the
 * missing ones are sent to the provider, and the answer is put back together in the caller's order.
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
        EmbeddingItems items = new EmbeddingItems(
                (EmbeddingRequest) call.request(), plan.key().namespace(), plan.callType(), this.keys);
        if (!items.usable()) {
            return call.provider()
                    .<EmbeddingResponse>answer(call.request())
                    .map(fresh -> answer(fresh, CacheOutcome.BYPASS, this.clock.instant()));
        }
        Step<Read<Map<CacheKey, CacheEntry>>> found =
                plan.read() ? call.backend().readAll(items.keys(), call.mode()) : Step.of(Read.empty());
        return found.flatMap(read -> {
            Map<CacheKey, CacheEntry> accepted = accepted(plan, read.value(), this.clock);
            Map<CacheKey, EmbeddingResponse> hits = new HashMap<>();
            accepted.forEach((key, entry) -> hits.put(key, (EmbeddingResponse) entry.response()));
            Instant storedAt = accepted.values().stream()
                    .map(CacheEntry::storedAt)
                    .min(Instant::compareTo)
                    .orElseGet(this.clock::instant);
            List<String> missing = items.missing(hits);
            if (missing.isEmpty()) {
                return Step.of(answer(items.assemble(hits, missing, null), CacheOutcome.HIT, storedAt));
            }
            return call.provider()
                    .<EmbeddingResponse>answer(items.requestFor(missing))
                    .flatMap(fresh -> {
                        Step<?> write = (read.failed() || !plan.stores(fresh))
                                ? Step.empty()
                                : call.backend()
                                        .writeAll(
                                                items.entries(missing, fresh, this.clock.instant()),
                                                plan.ttl(),
                                                call.mode());
                        return write.thenReturn(
                                answer(items.assemble(hits, missing, fresh), CacheOutcome.MISS, storedAt));
                    });
        });
    }

    /**
     * The assembled response as one entry, stored when its oldest part was, so that a caller who
     * joins the flight applies its own {@code sMaxAge} to what the leader read.
     */
    private static Answer answer(EmbeddingResponse assembled, CacheOutcome outcome, Instant storedAt) {
        return new Answer(new CacheEntry(assembled, storedAt), outcome);
    }

    private static Map<CacheKey, CacheEntry> accepted(
            CachePlan plan, @Nullable Map<CacheKey, CacheEntry> found, Clock clock) {
        Map<CacheKey, CacheEntry> accepted = new HashMap<>();
        if (found != null) {
            found.forEach((key, entry) -> {
                if (plan.accepts(entry, clock)) {
                    accepted.put(key, entry);
                }
            });
        }
        return accepted;
    }
}
