package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.LlmResponse;
import java.time.Clock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * A response that arrives whole, blocking or reactive: reported when it ends. A flight's leader
 * obtains its answer detached from its own subscription, so that a leader that cancels still
 * completes the flight for the others.
 */
abstract class WholeResponseShape extends ResponseShape<Step<LlmResponse>> {

    final Clock clock;

    WholeResponseShape(Clock clock) {
        this.clock = clock;
    }

    /**
     * The answer from the cache or the provider; {@code leads} when this call leads a flight, which
     * may look again before calling the provider.
     */
    abstract Step<Answer> obtain(Call call, boolean readFailed, boolean leads);

    @Override
    Step<LlmResponse> deferContextual(CallMode mode, Function<ContextView, Step<LlmResponse>> body) {
        return (mode == CallMode.BLOCKING)
                ? body.apply(Context.empty())
                : Step.later(Mono.deferContextual(context -> body.apply(context).toMono()));
    }

    @Override
    <T> Step<LlmResponse> then(Step<T> step, Function<T, Step<LlmResponse>> next) {
        return step.flatMap(next);
    }

    @Override
    Step<LlmResponse> error(Throwable error) {
        return Step.failed(error);
    }

    @Override
    Step<LlmResponse> direct(Provider provider, LlmRequest request) {
        return provider.answer(request);
    }

    @Override
    Step<LlmResponse> bypass(Call call, CacheSettings settings) {
        return call.provider()
                .<LlmResponse>answer(call.request())
                .map(response -> response.withCacheResult(false, false, null));
    }

    @Override
    Step<LlmResponse> watched(Call call, Step<LlmResponse> result) {
        return result.reported(call::report);
    }

    @Override
    Step<LlmResponse> answer(Call call, Answer answer) {
        return Step.of(answer.response(call.plan()));
    }

    @Override
    Step<LlmResponse> orStale(Call call, Step<LlmResponse> resolved, Answer stale) {
        return resolved.onErrorResume(ProviderFailures::isOutage, error -> answer(call, stale));
    }

    /**
     * The answer obtained without the first read; a flight's leader waits for it as a blocking leader does, as long
     * as obtaining it takes: its reads have the backend's deadline, its provider call the request's timeout, and a wait
     * for another instance's lease ends with that timeout too ({@link FleetFlight}), after which it makes its own call.
     */
    @Override
    Step<LlmResponse> resolve(Call call, boolean readFailed, SingleFlight.@Nullable Flight flight) {
        if (flight == null) {
            return answered(obtain(call, readFailed, false)).map(answer -> answer.response(call.plan()));
        }
        try {
            answered(obtain(call, readFailed, true)).subscribe(flight::complete, flight::fail);
        } catch (Throwable fatal) { // a JVM-fatal error, which the steps pass on instead of holding
            flight.fail(fatal);
            throw fatal;
        }
        return flight.answer(null, call.mode()).map(answer -> answer.response(call.plan()));
    }

    /**
     * {@code obtained}, or an error when a reactive provider completed without an answer or an error: a cached call
     * fails alike whether or not it leads a flight, rather than completing empty for some callers.
     */
    private static Step<Answer> answered(Step<Answer> obtained) {
        return obtained.orElse(() -> Step.failed(new IllegalStateException(
                "the provider answered nothing: a CompletionService's reactive method must emit its response or an"
                        + " error, not complete empty")));
    }
}
