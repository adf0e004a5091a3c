package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.FleetLeases;
import io.github.litellmcache.cache.FlightScope;
import io.github.litellmcache.cache.FlightWaitOutcome;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A flight's leader across the instances sharing its backend ({@link FleetLeases}): the leader of a
 * key in this instance takes the lease of the key and its caller (as a local flight is keyed), reads
 * once more and calls the provider, or, when another instance holds the lease, waits until that one
 * has ended and reads its answer. When the holder ended without one (its call failed, or its answer
 * was not stored), it makes its own call at once rather than queue for the lease behind the other
 * waiters; when it heard of no end (the holder died, or the message was lost), it reads again and
 * tries the lease. Past the request's own timeout, when it sets one, it makes its own call (without
 * one it waits as a follower in its own flight does); when the store cannot tell, it goes on as
 * without coordination. A call whose read failed, before it calls the provider, does not store the
 * answer, as after a failed first read: it could not see the entry it would replace (the holder's, which
 * answers the identical request as well), and a failing store would delay it twice. A call that waited for another's
 * lease tells the recorders how its wait ended ({@link FlightWait}): answered by the stored answer, retried (its own
 * call, or the lease it took in turn), or timed out.
 */
final class FleetFlight {

    private final Call call;
    private final FleetLeases leases;
    private final CacheKey key;
    private final Supplier<Step<Read<Answer>>> stored;
    private final Fresh fresh;
    private final @Nullable Duration timeout;
    private final long start = System.nanoTime();

    /** This call's wait for the call holding the lease, from its first turn as a waiter until it ends. */
    private @Nullable FlightWait wait;

    private FleetFlight(Call call, FleetLeases leases, Supplier<Step<Read<Answer>>> stored, Fresh fresh) {
        this.call = call;
        this.leases = leases;
        this.key = leaseKey(call.plan().key(), SingleFlight.caller(call.request()));
        this.stored = stored;
        this.fresh = fresh;
        this.timeout = call.request().timeout();
    }

    /**
     * The answer of {@code call}, which leads its key in this instance: {@code stored} (an accepted
     * entry, nothing, or a failed read) when there is one, else {@code fresh} (the provider's answer,
     * stored unless the read failed).
     */
    static Step<Answer> lead(Call call, Supplier<Step<Read<Answer>>> stored, Fresh fresh) {
        FleetLeases leases = call.backend().fleetLeases();
        if (leases == null) {
            return storedOrFresh(stored, fresh, null);
        }
        return new FleetFlight(call, leases, stored, fresh).turns();
    }

    /**
     * The stored answer, else the provider's; {@code wait}, when the call waited for another call's lease, ended
     * {@code answered} by the first, {@code retried} before the second.
     */
    private static Step<Answer> storedOrFresh(
            Supplier<Step<Read<Answer>>> stored, Fresh fresh, @Nullable FlightWait wait) {
        return stored.get().flatMap(read -> {
            if (wait != null) {
                wait.end((read.value() != null) ? FlightWaitOutcome.ANSWERED : FlightWaitOutcome.RETRIED);
            }
            return (read.value() != null) ? Step.of(read.value()) : fresh.answer(read.failed());
        });
    }

    /**
     * What the lease is taken for: the entry's key, and the hash of the request's own credentials and
     * endpoint when it has some ({@link SingleFlight#caller}), so that callers with other ones never
     * wait for each other's call across the instances either; the entry read is the key's alone.
     */
    private static CacheKey leaseKey(CacheKey key, String caller) {
        return caller.isEmpty() ? key : new CacheKey(key.namespace(), key.key() + "/" + caller);
    }

    /**
     * The turns, one after the other until one gives the answer: in a loop, not by recursion, as a wait for a long call
     * of another instance takes a turn per poll (an hour's call, 3,600), which would otherwise nest as deep.
     */
    private Step<Answer> turns() {
        if (this.call.mode() == CallMode.BLOCKING) {
            return Step.now(() -> {
                Optional<Answer> answer;
                do {
                    answer = turn().await();
                } while (answer != null && answer.isEmpty());
                return (answer != null) ? answer.get() : null;
            });
        }
        return Step.later(Mono.defer(() -> {
            AtomicBoolean again = new AtomicBoolean();
            return Mono.defer(() -> turn().toMono())
                    .doOnSubscribe(subscribed -> again.set(false))
                    .doOnNext(answer -> again.set(answer.isEmpty()))
                    .repeat(again::get)
                    .filter(Optional::isPresent)
                    .singleOrEmpty()
                    .map(Optional::get);
        }));
    }

    /**
     * One turn: the answer, or an empty one when the instance holding the lease is to be waited for once more; nothing
     * when the provider answered nothing. Only a lease the store could not tell about sends the call on without
     * coordination: a call that took the lease, or waited, and was answered nothing by the provider is not asked again.
     */
    private Step<Optional<Answer>> turn() {
        Step<Optional<FleetLeases.Lease>> lease =
                this.call.backend().coordinate(() -> this.leases.lead(this.key), this.call.mode());
        return lease.<Supplier<Step<Optional<Answer>>>>map(
                        held -> held.isPresent() ? () -> leading(held.get()).map(Optional::of) : this::following)
                .orElse(() -> Step.of(
                        () -> storedOrFresh(this.stored, this.fresh, this.wait).map(Optional::of)))
                .flatMap(Supplier::get);
    }

    /**
     * The answer made under {@code lease}, released however it ends: a blocking read interrupted on the caller's
     * thread throws rather than giving a step, and a lease left held would be renewed for the instance's life.
     */
    private Step<Answer> leading(FleetLeases.Lease lease) {
        lease.hold();
        Step<Answer> answer;
        try {
            answer = storedOrFresh(this.stored, this.fresh, this.wait);
        } catch (Throwable interrupted) {
            lease.release();
            throw interrupted;
        }
        return answer.reported((ended, error) -> lease.release());
    }

    private Step<Optional<Answer>> following() {
        FlightWait waiting = waiting();
        long poll = this.leases.pollInterval().toNanos();
        long remaining = (this.timeout != null) ? this.timeout.toNanos() - (System.nanoTime() - this.start) : poll;
        if (remaining <= 0) {
            waiting.end(FlightWaitOutcome.TIMED_OUT);
            return this.fresh.answer(false).map(Optional::of);
        }
        Duration wait = Duration.ofNanos(Math.min(remaining, poll));
        Mono<Boolean> ended = this.leases.ended(this.key, wait);
        Step<Boolean> waited = (this.call.mode() == CallMode.BLOCKING) ? Step.now(ended::block) : Step.later(ended);
        return waited.flatMap(holderEnded -> this.stored.get().flatMap(read -> {
            if (read.value() != null) {
                waiting.end(FlightWaitOutcome.ANSWERED);
                return Step.of(Optional.of(read.value()));
            }
            if (!holderEnded) {
                return Step.of(Optional.empty());
            }
            waiting.end(FlightWaitOutcome.RETRIED);
            return this.fresh.answer(read.failed()).map(Optional::of);
        }));
    }

    /** This call's wait for the lease's holder: begun at its first turn as a waiter. */
    private FlightWait waiting() {
        FlightWait waiting = this.wait;
        if (waiting == null) {
            waiting = this.call.watch().waiting(FlightScope.FLEET);
            this.wait = waiting;
        }
        return waiting;
    }

    /** The provider's answer to the call. */
    @FunctionalInterface
    interface Fresh {

        /** The provider's answer, stored unless {@code readFailed}: the read before it failed. */
        Step<Answer> answer(boolean readFailed);
    }
}
