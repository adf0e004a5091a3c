package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheOutcome;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.cache.FlightScope;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.LlmRequest;
import java.time.Clock;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * The steps of every cached call, whatever its response shape and whether it blocks: plan the
 * call ({@link CachePolicy}), read its entry, answer from it, or else join the single flight of
 * its key, whose leader resolves it (the {@link ResponseShape} says how) and whose followers take
 * the leader's answer; when the provider fails, an entry the call keeps as stale answers
 * ({@code staleIfError}). A blocking call runs the same steps, each completing on its thread.
 */
final class CallPipeline {

    private final LlmCache cache;
    private final CachePolicy policy;
    private final BackendGuards guards;
    private final CallMonitor monitor;
    private final Clock clock;
    private final SingleFlight flights = new SingleFlight();

    CallPipeline(LlmCache cache, CachePolicy policy, BackendGuards guards, CallMonitor monitor, Clock clock) {
        this.cache = cache;
        this.policy = policy;
        this.guards = guards;
        this.monitor = monitor;
        this.clock = clock;
    }

    /** The call, on subscription; a call made by the provider of another one is passed on as it is. */
    <R> R serve(CallType callType, LlmRequest request, Provider provider, ResponseShape<R> shape) {
        return shape.deferContextual(provider.mode(), context -> {
            if (Provider.isNested(context)) {
                return shape.direct(provider, request);
            }
            CallMonitor.Watch watch = this.monitor.begin(callType, request);
            LlmCache.State state = this.cache.acquire();
            if (state == null) { // an LlmCache mocked in an application's tests (@MockitoBean): as no cache
                return bypass(request, provider, watch, shape, CacheSettings.defaults());
            }
            CachePlan plan;
            try {
                plan = this.policy.plan(state.enabled(), state.settings(), callType, request);
            } catch (RuntimeException error) {
                this.cache.release(state);
                watch.end(null, null, null, error);
                return shape.error(error);
            }
            if (plan == null) {
                this.cache.release(state);
                return bypass(request, provider, watch, shape, state.settings());
            }
            Call call = new Call(
                    request,
                    provider,
                    watch,
                    plan,
                    this.guards.guard(state.backend()),
                    new BackendHold(() -> this.cache.release(state)),
                    this.cache.generation());
            try {
                Step<Read<CacheEntry>> read = plan.read() ? shape.firstRead(call) : Step.of(Read.empty());
                return shape.watched(call, shape.then(read, found -> afterRead(call, shape, found)));
            } catch (Throwable fatal) { // a JVM-fatal error, which the steps pass on instead of holding
                call.report(null, fatal);
                throw fatal;
            }
        });
    }

    /** The provider's answer, reported as a call that bypasses the cache; {@code settings} bound its report. */
    private static <R> R bypass(
            LlmRequest request,
            Provider provider,
            CallMonitor.Watch watch,
            ResponseShape<R> shape,
            CacheSettings settings) {
        Call bypassing = new Call(request, provider, watch, null, null, null, null);
        return shape.watched(bypassing, shape.bypass(bypassing, settings));
    }

    private <R> R afterRead(Call call, ResponseShape<R> shape, Read<CacheEntry> read) {
        CachePlan plan = call.plan();
        CacheEntry entry = read.value();
        if (plan.accepts(entry, this.clock) && shape.answers(call, entry)) {
            return shape.answer(call, new Answer(entry, CacheOutcome.HIT));
        }
        if (!plan.read()) {
            return shape.resolve(call, read.failed(), null);
        }
        R resolved = inFlight(call, shape, read.failed(), false);
        return (plan.keepsAsStale(entry, this.clock) && shape.canAnswer(entry))
                ? shape.orStale(call, resolved, new Answer(entry, CacheOutcome.STALE))
                : resolved;
    }

    /**
     * The call in the flight of its key: resolved when it leads, else the leader's answer if this
     * call's own plan accepts it (its {@code sMaxAge} holds for what the leader read, and a stale or
     * bypassed answer is the leader's own); when the leader failed or its answer does not fit, once
     * more in a new flight, then on its own; on its own too when its wait outlasts its timeout and the
     * shape says so. A follower's wait is told to the recorders as it ends ({@link FlightWait}). A leader holds its
     * backend until its flight has ended too ({@link BackendHold}); one whose caller has already gone fails the flight
     * instead, so that its followers go on their own.
     */
    private <R> R inFlight(Call call, ResponseShape<R> shape, boolean readFailed, boolean rejoined) {
        SingleFlight.Flight flight = this.flights.join(
                call.generation(),
                call.backend().backend(),
                call.plan().key(),
                call.request(),
                shape.expectsUsage(call.request()),
                rejoined);
        if (flight.leads()) {
            if (!call.hold().until(flight)) {
                CancellationException ended = new CancellationException("the caller cancelled");
                flight.fail(ended);
                return shape.error(ended);
            }
            return shape.resolve(call, readFailed, flight);
        }
        FlightWait wait = call.watch().waiting(FlightScope.INSTANCE);
        Step<R> followed = flight.answer(call.request().timeout(), call.mode())
                .filter(answer -> answer.isForFollowers()
                        && call.plan().accepts(answer.entry(), this.clock)
                        && shape.answers(call, answer.entry()))
                .reported(wait::endWith)
                .map(answer -> shape.answer(call, answer.asHit()))
                .orElse(() -> Step.of(
                        rejoined ? shape.resolve(call, readFailed, null) : inFlight(call, shape, readFailed, true)))
                .onErrorResume(
                        error -> SingleFlight.isOutlasted(error) && shape.callsOnItsOwnAfterWaitingOutItsTimeout(),
                        outlasted -> Step.of(shape.resolve(call, readFailed, null)));
        return shape.then(followed, Function.identity());
    }
}
