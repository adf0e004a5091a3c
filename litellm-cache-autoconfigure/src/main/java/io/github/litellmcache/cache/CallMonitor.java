package io.github.litellmcache.cache;

import io.github.litellmcache.callback.CallEvent;
import io.github.litellmcache.callback.CallbackDispatcher;
import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.LlmResponse;
import io.github.litellmcache.completion.ProviderRoute;
import io.github.litellmcache.completion.Usage;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Watches each call: an {@link Observation} named {@code litellm.completion} around it, the
 * {@link CacheRecorder}s told its result, and the callbacks given its {@link CallEvent}.
 */
final class CallMonitor {

    static final String OBSERVATION = "litellm.completion";

    private final CallbackDispatcher callbacks;
    private final List<CacheRecorder> recorders;
    private final ObservationRegistry observations;
    private final Clock clock;

    CallMonitor(
            CallbackDispatcher callbacks,
            List<CacheRecorder> recorders,
            ObservationRegistry observations,
            Clock clock) {
        this.callbacks = callbacks;
        this.recorders = List.copyOf(recorders);
        this.observations = observations;
        this.clock = clock;
    }

    /** A call starts. */
    Call begin(CallType callType, LlmRequest request) {
        Instant start = this.callbacks.hasCallbacks() ? this.clock.instant() : null;
        Observation observation = Observation.createNotStarted(OBSERVATION, this.observations);
        if (!observation.isNoop()) {
            observation
                    .lowCardinalityKeyValue("call.type", callType.name().toLowerCase(java.util.Locale.ROOT))
                    .lowCardinalityKeyValue("provider", ProviderRoute.providerOf(request.model()))
                    .start();
        }
        return new Call(callType, request, start, observation);
    }

    /** A backend operation ended. */
    void operation(CacheBackend backend, String operation, long startNanos, boolean failed) {
        long nanos = System.nanoTime() - startNanos;
        for (CacheRecorder recorder : this.recorders) {
            recorder.recordOperation(backend.name(), operation, nanos, failed);
        }
    }

    /** One call being watched. */
    final class Call {

        private final CallType callType;
        private final LlmRequest request;
        private final @Nullable Instant start;
        private final Observation observation;

        private Call(CallType callType, LlmRequest request, @Nullable Instant start, Observation observation) {
            this.callType = callType;
            this.request = request;
            this.start = start;
            this.observation = observation;
        }

        /** The call ended, with a response or an error; {@code backend} is null when it bypassed the cache. */
        void end(
                @Nullable CacheBackend backend,
                @Nullable String cacheKey,
                @Nullable LlmResponse response,
                @Nullable Throwable error) {
            boolean hit = (response != null) && response.cacheHit();
            if (error == null) {
                CacheResult result =
                        (backend == null) ? CacheResult.BYPASS : (hit ? CacheResult.HIT : CacheResult.MISS);
                long saved = hit ? tokens(response.usage()) : 0;
                for (CacheRecorder recorder : CallMonitor.this.recorders) {
                    recorder.recordCall(this.callType, result, saved);
                }
            }
            if (!this.observation.isNoop()) {
                this.observation
                        .lowCardinalityKeyValue("cache.hit", String.valueOf(hit))
                        .lowCardinalityKeyValue("cache.backend", (backend != null) ? backend.name() : "none");
                if (error != null) {
                    this.observation.error(error);
                }
                this.observation.stop();
            }
            if (this.start != null) {
                CallMonitor.this.callbacks.dispatch(new CallEvent(
                        this.callType,
                        this.request.model(),
                        this.request,
                        response,
                        this.start,
                        CallMonitor.this.clock.instant(),
                        hit,
                        cacheKey,
                        error));
            }
        }

        private static long tokens(@Nullable Usage usage) {
            return (usage != null) ? usage.totalTokens() : 0;
        }
    }
}
