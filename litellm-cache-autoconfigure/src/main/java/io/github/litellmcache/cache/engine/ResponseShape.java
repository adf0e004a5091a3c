package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.completion.LlmRequest;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

/**
 * What the {@link CallPipeline} needs to know of one kind of response, so that it runs the same
 * steps for all: a whole response ({@link CompletionShape}), embeddings cached item by item
 * ({@link EmbeddingItemsShape}) and a chunked stream ({@link ChunkStreamShape}).
 *
 * @param <R> what the caller gets: a {@link Step} of the response, or a {@code Flux} of chunks
 */
abstract class ResponseShape<R> {

    /** {@code body}, run now in a blocking call, else on subscription with the subscriber's context. */
    abstract R deferContextual(CallMode mode, Function<ContextView, R> body);

    /** The result that {@code next} makes of what {@code step} gives. */
    abstract <T> R then(Step<T> step, Function<T, R> next);

    abstract R error(Throwable error);

    /** The provider's answer for a call made by another call's provider: not cached, not watched. */
    abstract R direct(Provider provider, LlmRequest request);

    /**
     * The provider's answer for a call that bypasses the cache, reported when it ends; the cache's {@code settings}
     * bound what the report of a stream keeps.
     */
    abstract R bypass(Call call, CacheSettings settings);

    /** {@code result}, reported when the caller cancels it, and when it ends unless it reports itself. */
    abstract R watched(Call call, R result);

    /** The read made before the call joins a flight. */
    Step<Read<CacheEntry>> firstRead(Call call) {
        return call.backend().read(call.plan().key(), call.mode());
    }

    /**
     * Whether {@code entry} can answer this shape at all: as a stale answer when the provider fails
     * ({@code staleIfError}), and as a hit when it also {@linkplain #answers answers} the call.
     */
    boolean canAnswer(CacheEntry entry) {
        return true;
    }

    /**
     * Whether {@code entry}, accepted by the plan, answers {@code call} as a hit. A call that expects the
     * usage ({@link #expectsUsage}) is not answered by a stream stored without it: that is a miss, and the
     * provider's answer replaces the entry. Such an entry still answers the call as a stale answer to an
     * outage ({@code staleIfError}): the caller asked for a stale answer over the provider's error, and the
     * content is the same; only its {@code usage} is missing (null, or no usage chunk).
     */
    final boolean answers(Call call, CacheEntry entry) {
        return canAnswer(entry) && !(entry.isStreamWithoutUsage() && expectsUsage(call.request()));
    }

    /** Whether the provider's answer to {@code request} carries its usage, as a stored answer then must. */
    boolean expectsUsage(LlmRequest request) {
        return false;
    }

    /**
     * Whether a follower whose wait for the flight's answer outlasts its timeout makes its own call
     * instead of failing: so where the timeout bounds each part of the answer, not the whole answer that
     * a follower waits for.
     */
    boolean callsOnItsOwnAfterWaitingOutItsTimeout() {
        return false;
    }

    /** A stored answer, reported. */
    abstract R answer(Call call, Answer answer);

    /**
     * {@code resolved}, or else the {@code stale} answer when the provider fails with a server error, a
     * timeout or a connection failure ({@link ProviderFailures}) before anything was given to the caller.
     */
    abstract R orStale(Call call, R resolved, Answer stale);

    /**
     * The answer found without the first read: from the provider, stored unless the first read
     * failed; {@code flight}, when this call leads one, completed with it or failed.
     */
    abstract R resolve(Call call, boolean readFailed, SingleFlight.@Nullable Flight flight);
}
