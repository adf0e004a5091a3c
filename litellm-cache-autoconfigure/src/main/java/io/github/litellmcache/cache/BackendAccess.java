package io.github.litellmcache.cache;

import io.github.litellmcache.completion.EmbeddingResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Reads and writes of one call's plan, blocking or not: each timed and told to the recorders; a
 * failure logged and turned into a miss or a dropped write; an entry used only when it may answer
 * the call (of the right kind, young enough for {@code sMaxAge}).
 */
final class BackendAccess {

    private static final String READ = "read";

    private static final String WRITE = "write";

    private final CallMonitor monitor;
    private final Clock clock;
    private final FailureLog failures = new FailureLog();

    BackendAccess(CallMonitor monitor, Clock clock) {
        this.monitor = monitor;
        this.clock = clock;
    }

    Lookup read(CachePlan plan) {
        if (!plan.read()) {
            return Lookup.MISS;
        }
        long start = System.nanoTime();
        try {
            CacheEntry entry = plan.backend().get(plan.key());
            this.monitor.operation(plan.backend(), READ, start, false);
            return Lookup.of(usable(plan, entry));
        } catch (RuntimeException ex) {
            failed(plan, READ, start, ex);
            return Lookup.FAILED;
        }
    }

    Mono<Lookup> readAsync(CachePlan plan) {
        if (!plan.read()) {
            return Mono.just(Lookup.MISS);
        }
        return reactive(
                plan,
                READ,
                () -> plan.backend()
                        .getAsync(plan.key())
                        .map(entry -> Lookup.of(usable(plan, entry)))
                        .defaultIfEmpty(Lookup.MISS),
                Lookup.FAILED);
    }

    void write(CachePlan plan, CacheEntry entry) {
        if (plan.write() && entry.response().isCacheable()) {
            blocking(
                    plan,
                    WRITE,
                    () -> {
                        plan.backend().put(plan.key(), entry, plan.ttl());
                        return Boolean.TRUE;
                    },
                    Boolean.FALSE);
        }
    }

    Mono<Void> writeAsync(CachePlan plan, CacheEntry entry) {
        if (!plan.write() || !entry.response().isCacheable()) {
            return Mono.empty();
        }
        return reactive(
                        plan,
                        WRITE,
                        () -> plan.backend()
                                .putAsync(plan.key(), entry, plan.ttl())
                                .thenReturn(true),
                        false)
                .then();
    }

    Lookup.Items readItems(CachePlan plan, List<CacheKey> keys) {
        if (!plan.read()) {
            return new Lookup.Items(Map.of(), false);
        }
        return blocking(
                plan,
                READ,
                () -> new Lookup.Items(usable(plan, plan.backend().getAll(keys)), false),
                new Lookup.Items(Map.of(), true));
    }

    Mono<Lookup.Items> readItemsAsync(CachePlan plan, List<CacheKey> keys) {
        if (!plan.read()) {
            return Mono.just(new Lookup.Items(Map.of(), false));
        }
        return reactive(
                plan,
                READ,
                () -> plan.backend().getAllAsync(keys).map(found -> new Lookup.Items(usable(plan, found), false)),
                new Lookup.Items(Map.of(), true));
    }

    void writeItems(CachePlan plan, Map<CacheKey, CacheEntry> entries) {
        if (plan.write()) {
            blocking(
                    plan,
                    WRITE,
                    () -> {
                        plan.backend().putAll(entries, plan.ttl());
                        return Boolean.TRUE;
                    },
                    Boolean.FALSE);
        }
    }

    Mono<Void> writeItemsAsync(CachePlan plan, Map<CacheKey, CacheEntry> entries) {
        if (!plan.write()) {
            return Mono.empty();
        }
        return reactive(
                        plan,
                        WRITE,
                        () -> plan.backend().putAllAsync(entries, plan.ttl()).thenReturn(true),
                        false)
                .then();
    }

    private <T> T blocking(CachePlan plan, String operation, Supplier<T> work, T onFailure) {
        long start = System.nanoTime();
        try {
            T result = work.get();
            this.monitor.operation(plan.backend(), operation, start, false);
            return result;
        } catch (RuntimeException ex) {
            failed(plan, operation, start, ex);
            return onFailure;
        }
    }

    private <T> Mono<T> reactive(CachePlan plan, String operation, Supplier<Mono<T>> work, T onFailure) {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return work.get()
                    .doOnNext(result -> this.monitor.operation(plan.backend(), operation, start, false))
                    .onErrorResume(error -> {
                        failed(plan, operation, start, error);
                        return Mono.just(onFailure);
                    });
        });
    }

    private void failed(CachePlan plan, String operation, long start, Throwable error) {
        this.monitor.operation(plan.backend(), operation, start, true);
        this.failures.failed(plan.backend().name(), operation, error);
    }

    /** The entry when it may answer the call: of the right kind and young enough. */
    private @Nullable CacheEntry usable(CachePlan plan, @Nullable CacheEntry entry) {
        if (entry == null
                || !plan.responseType().isInstance(entry.response())
                || (plan.sMaxAge() != null
                        && !entry.storedAt().plus(plan.sMaxAge()).isAfter(this.clock.instant()))) {
            return null;
        }
        return entry;
    }

    private Map<CacheKey, EmbeddingResponse> usable(CachePlan plan, Map<CacheKey, CacheEntry> found) {
        Map<CacheKey, EmbeddingResponse> hits = new HashMap<>();
        found.forEach((key, entry) -> {
            if (usable(plan, entry) != null) {
                hits.put(key, (EmbeddingResponse) entry.response());
            }
        });
        return hits;
    }
}
