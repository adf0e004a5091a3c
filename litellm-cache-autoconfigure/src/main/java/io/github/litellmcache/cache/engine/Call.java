package io.github.litellmcache.cache.engine;

import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.LlmResponse;
import org.jspecify.annotations.Nullable;

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
 */
record Call(
        LlmRequest request,
        Provider provider,
        CallMonitor.Watch watch,
        @Nullable CachePlan plan,
        @Nullable GuardedBackend backend,
        @Nullable BackendHold hold) {

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
}
