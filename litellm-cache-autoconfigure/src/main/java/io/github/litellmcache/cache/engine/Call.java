package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.ClearFence;
import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.LlmResponse;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * One call on its way through the {@link CallPipeline}: what was asked, how it runs, and how it
 * uses the cache.
 *
 * @param request the caller's request
 * @param provider the provider behind the call
 * @param watch reports the call's end
 * @param plan how the call uses the cache, null when it bypasses it
 * @param backend the backend the call uses from start to end, null when it bypasses the cache
 * @param hold the call's hold on its backend, null when it bypasses the cache
 * @param generation the generation of writes the call began in ({@code LlmCache#clear}), null when it bypasses the
 *     cache
 */
record Call(
        LlmRequest request,
        Provider provider,
        CallMonitor.Watch watch,
        @Nullable CachePlan plan,
        @Nullable GuardedBackend backend,
        @Nullable BackendHold hold,
        ClearFence.@Nullable Generation generation) {

    CallMode mode() {
        return this.provider.mode();
    }

    /**
     * Reports the end of the call, with a response or an error, and ends its hold on its backend; only the first end
     * counts.
     */
    void report(@Nullable LlmResponse response, @Nullable Throwable error) {
        boolean first = this.watch.end(
                (this.backend != null) ? this.backend.backend() : null,
                (this.plan != null) ? this.plan.key().key() : null,
                response,
                error);
        if (first && this.hold != null) {
            this.hold.end();
        }
    }

    /** Stores {@code entry} under the plan's key for the plan's time, unless a clear has begun since the call began. */
    Step<?> write(CacheEntry entry) {
        CacheKey key = this.plan.key();
        return fenced(List.of(key), backend -> backend.write(key, entry, this.plan.storedFor(), mode()));
    }

    /** Stores {@code entries} for the plan's time, unless a clear has begun since the call began. */
    Step<?> writeAll(Map<CacheKey, CacheEntry> entries) {
        return fenced(entries.keySet(), backend -> backend.writeAll(entries, this.plan.storedFor(), mode()));
    }

    /**
     * The {@code write}, made only while the call's generation is open, and ended (done, failed or cancelled) before a
     * clear that ends the generation removes the entries: a blocking write has ended when it returns. One that ends
     * only after the clear stopped waiting for it has its {@code keys} removed.
     */
    private Step<?> fenced(Collection<CacheKey> keys, Function<GuardedBackend, Step<?>> write) {
        ClearFence.Generation generation = this.generation;
        if (mode() == CallMode.BLOCKING) {
            if (!generation.beginWrite()) {
                return Step.empty();
            }
            try {
                return write.apply(this.backend);
            } finally {
                generation.endWrite(this.backend.backend(), keys);
            }
        }
        return Step.later(Mono.using(
                generation::beginWrite,
                begun -> begun ? write.apply(this.backend).toMono() : Mono.empty(),
                begun -> {
                    if (begun) {
                        generation.endWrite(this.backend.backend(), keys);
                    }
                },
                true));
    }
}
