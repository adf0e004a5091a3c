package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheOutcome;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import java.time.Clock;
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
                    .map(fresh -> answer(fresh, CacheOutcome.BYPASS));
        }
        Step<Read<Map<CacheKey, CacheEntry>>> found =
                plan.read() ? call.backend().readAll(items.keys(), call.mode()) : Step.of(Read.empty());
        return found.flatMap(read -> {
            Map<CacheKey, EmbeddingResponse> hits = hits(plan, read.value(), this.clock);
            List<String> missing = items.missing(hits);
            if (missing.isEmpty()) {
                return Step.of(answer(items.assemble(hits, missing, null), CacheOutcome.HIT));
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
                        return write.thenReturn(answer(items.assemble(hits, missing, fresh), CacheOutcome.MISS));
                    });
        });
    }

    private Answer answer(EmbeddingResponse assembled, CacheOutcome outcome) {
        return new Answer(new CacheEntry(assembled, this.clock.instant()), outcome);
    }

    private static Map<CacheKey, EmbeddingResponse> hits(
            CachePlan plan, @Nullable Map<CacheKey, CacheEntry> found, Clock clock) {
        Map<CacheKey, EmbeddingResponse> hits = new HashMap<>();
        if (found != null) {
            found.forEach((key, entry) -> {
                if (plan.accepts(entry, clock)) {
                    hits.put(key, (EmbeddingResponse) entry.response());
                }
            });
        }
        return hits;
    }
}
