package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheOutcome;
import io.github.litellmcache.completion.ChatCompletionChunks;
import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.LlmResponse;
import java.time.Clock;

/** A chat completion, stored whole under the call's key. */
final class CompletionShape extends WholeResponseShape {

    CompletionShape(Clock clock) {
        super(clock);
    }

    /**
     * Whether a stored entry can answer a completion: a completion, or a stream whose chunks
     * {@linkplain ChatCompletionChunks#assemblesWhole assemble whole} (a stream with a field sent in
     * pieces that are not text answers streams only, with its own chunks).
     */
    @Override
    boolean canAnswer(CacheEntry entry) {
        return entry.chunks() == null || ChatCompletionChunks.assemblesWhole(entry.chunks());
    }

    /**
     * Always: OpenAI answers a completion with its usage, and clients read it. A completion stored
     * without usage is the provider's own answer to such a call, so it answers; a stream stored
     * without it does not.
     */
    @Override
    boolean expectsUsage(LlmRequest request) {
        return true;
    }

    /**
     * A flight's leader reads once more: the answer may have been stored since its first read; with
     * a backend shared by several instances, only after it took the key's lease ({@link FleetFlight}).
     */
    @Override
    Step<Answer> obtain(Call call, boolean readFailed, boolean leads) {
        if (!leads || readFailed) {
            return fresh(call, readFailed);
        }
        return FleetFlight.lead(call, () -> stored(call), failed -> fresh(call, failed));
    }

    /** The entry stored since the first read, if the plan accepts it; a failed read when it failed. */
    private Step<Read<Answer>> stored(Call call) {
        return firstRead(call)
                .map(read -> call.plan().accepts(read.value(), this.clock) && answers(call, read.value())
                        ? Read.of(new Answer(read.value(), CacheOutcome.HIT))
                        : (read.failed() ? Read.<Answer>failure() : Read.<Answer>empty()));
    }

    private Step<Answer> fresh(Call call, boolean readFailed) {
        CachePlan plan = call.plan();
        return call.provider().<LlmResponse>answer(call.request()).flatMap(response -> {
            CacheEntry entry = plan.stored(new CacheEntry(response, this.clock.instant()));
            Step<?> write = (readFailed || !plan.stores(response)) ? Step.empty() : call.write(entry);
            return write.thenReturn(new Answer(entry, CacheOutcome.MISS));
        });
    }
}
