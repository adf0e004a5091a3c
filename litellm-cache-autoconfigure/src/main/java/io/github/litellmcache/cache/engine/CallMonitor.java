package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheOutcome;
import io.github.litellmcache.cache.CacheRecorder;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.cache.FlightScope;
import io.github.litellmcache.callback.CallEvent;
import io.github.litellmcache.callback.CallbackDispatcher;
import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.LlmResponse;
import io.github.litellmcache.completion.ProviderRoute;
import io.github.litellmcache.completion.Usage;
import io.github.litellmcache.display.PropertyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * Watches each call: an {@link Observation} named {@code litellm.completion} around it, the
 * {@link CacheRecorder}s told its outcome and its waits for identical calls ({@link FlightWait}), and the callbacks
 * given its {@link CallEvent}. Backend operations are timed by their {@link GuardedBackend}.
 */
final class CallMonitor {

    static final String OBSERVATION = "litellm.completion";

    private static final AtomicIntegerFieldUpdater<Watch> ENDED =
            AtomicIntegerFieldUpdater.newUpdater(Watch.class, "ended");

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
    Watch begin(CallType callType, LlmRequest request) {
        Instant start = this.callbacks.hasCallbacks() ? this.clock.instant() : null;
        Observation observation = Observation.createNotStarted(OBSERVATION, this.observations);
        if (!observation.isNoop()) {
            observation
                    .lowCardinalityKeyValue("call.type", PropertyValues.of(callType))
                    .lowCardinalityKeyValue("provider", ProviderRoute.providerOf(request.model()))
                    .start();
        }
        return new Watch(callType, request, start, observation);
    }

    /** One call being watched. */
    final class Watch {

        private final CallType callType;
        private final LlmRequest request;
        private final @Nullable Instant start;
        private final Observation observation;

        /** 1 once the call was reported. */
        private volatile int ended;

        /** The tokens of the cached part of an answer that the provider completed. */
        private volatile long savedInPart;

        /** Whether the response to report is a stream's completion cut at its bound. */
        private volatile boolean responseTruncated;

        private Watch(CallType callType, LlmRequest request, @Nullable Instant start, Observation observation) {
            this.callType = callType;
            this.request = request;
            this.start = start;
            this.observation = observation;
        }

        /** The answer, not a hit, was completed from the cache in part: its cached part's usage was {@code tokens}. */
        void savedInPart(long tokens) {
            this.savedInPart = tokens;
        }

        /** The call begins to wait for an identical call in {@code scope}. */
        FlightWait waiting(FlightScope scope) {
            return new FlightWait(CallMonitor.this.recorders, scope);
        }

        /** The response to report is a stream's completion cut at its bound, as {@link CallEvent} says. */
        void responseTruncated() {
            this.responseTruncated = true;
        }

        /**
         * The call ended, with a response or an error; {@code backend} is null when it bypassed the cache. Only the
         * first end counts: a stream its caller cancelled may run on for the calls that wait for it, and end again.
         *
         * @return whether this was the first end
         */
        boolean end(
                @Nullable CacheBackend backend,
                @Nullable String cacheKey,
                @Nullable LlmResponse response,
                @Nullable Throwable error) {
            if (this.ended != 0 || !ENDED.compareAndSet(this, 0, 1)) {
                return false;
            }
            boolean hit = (response != null) && response.cacheHit();
            CacheOutcome result = outcome(backend, response, error);
            if (result != null) {
                long saved = hit ? tokens(response.usage()) : this.savedInPart;
                for (CacheRecorder recorder : CallMonitor.this.recorders) {
                    recorder.recordCall(this.callType, result, saved);
                }
            }
            if (!this.observation.isNoop()) {
                stopObservation(backend, hit, error);
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
                        error,
                        this.responseTruncated));
            }
            return true;
        }

        private void stopObservation(@Nullable CacheBackend backend, boolean hit, @Nullable Throwable error) {
            this.observation
                    .lowCardinalityKeyValue("cache.hit", String.valueOf(hit))
                    .lowCardinalityKeyValue("cache.backend", (backend != null) ? backend.name() : "none");
            if (error != null) {
                this.observation.error(error);
            }
            this.observation.stop();
        }

        /**
         * What the cache did for the call, or null for a call its caller cancelled; a call that failed did not hit,
         * so that the misses the provider failed still count while it is down.
         */
        private static @Nullable CacheOutcome outcome(
                @Nullable CacheBackend backend, @Nullable LlmResponse response, @Nullable Throwable error) {
            if (error instanceof CancellationException) {
                return null;
            }
            if (backend == null) {
                return CacheOutcome.BYPASS;
            }
            if (response == null || !response.cacheHit()) {
                return CacheOutcome.MISS;
            }
            return response.cacheStale() ? CacheOutcome.STALE : CacheOutcome.HIT;
        }

        private static long tokens(@Nullable Usage usage) {
            return (usage != null) ? usage.totalTokens() : 0;
        }
    }
}
