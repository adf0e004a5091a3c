package io.github.litellmcache.cache.engine;

import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.LlmResponse;
import java.time.Clock;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * A response that arrives whole: reported when it ends. A flight's leader obtains its answer
 * detached from its own subscription, so that a leader that cancels still completes the flight
 * for the others.
 */
abstract class WholeResponseShape extends ResponseShape<Mono<LlmResponse>> {

    final Clock clock;

    WholeResponseShape(Clock clock) {
        this.clock = clock;
    }

    /**
     * The answer from the cache or the provider; {@code leads} when this call leads a flight, which
     * may look again before calling the provider.
     */
    abstract Mono<Answer> obtain(Call call, boolean readFailed, boolean leads);

    @Override
    Mono<LlmResponse> deferContextual(Function<ContextView, Mono<LlmResponse>> body) {
        return Mono.deferContextual(body);
    }

    @Override
    Mono<LlmResponse> defer(Mono<Mono<LlmResponse>> later) {
        return later.flatMap(Function.identity());
    }

    @Override
    Mono<LlmResponse> error(Throwable error) {
        return Mono.error(error);
    }

    @Override
    Mono<LlmResponse> direct(Provider provider, LlmRequest request) {
        return provider.answer(request);
    }

    @Override
    Mono<LlmResponse> bypass(Call call) {
        return call.provider()
                .<LlmResponse>answer(call.request())
                .map(response -> response.withCacheResult(false, null));
    }

    @Override
    Mono<LlmResponse> watched(Call call, Mono<LlmResponse> result) {
        return result.doOnSuccess(response -> call.report(response, null))
                .doOnError(error -> call.report(null, error))
                .doOnCancel(() -> call.report(null, new CancellationException("the caller cancelled")));
    }

    @Override
    Mono<LlmResponse> answer(Call call, Answer answer) {
        return Mono.just(answer.response(call.plan()));
    }

    @Override
    Mono<LlmResponse> resolve(Call call, boolean readFailed, SingleFlight.@Nullable Flight flight) {
        if (flight == null) {
            return obtain(call, readFailed, false).map(answer -> answer.response(call.plan()));
        }
        obtain(call, readFailed, true)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("the provider answered nothing")))
                .subscribe(flight::complete, flight::fail);
        return flight.answer(call.request().timeout(), call.mode()).map(answer -> answer.response(call.plan()));
    }
}
