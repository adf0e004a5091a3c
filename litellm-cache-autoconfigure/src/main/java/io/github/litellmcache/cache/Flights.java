package io.github.litellmcache.cache;

import io.github.litellmcache.completion.LlmException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Single-flight: concurrent identical calls (same backend, same key) make one provider request.
 * The first call leads the flight; the others wait for its answer without blocking an event loop,
 * and get its error if it fails. A flight is forgotten as soon as it lands, after its answer was
 * stored, so that later calls find the answer in the cache.
 */
final class Flights {

    private final ConcurrentMap<Flight, CompletableFuture<Answer>> inFlight = new ConcurrentHashMap<>();

    /** The flight of {@code key} on {@code backend}: led by this caller, or joined. */
    Ticket board(CacheBackend backend, CacheKey key) {
        Flight flight = new Flight(backend, key);
        CompletableFuture<Answer> mine = new CompletableFuture<>();
        CompletableFuture<Answer> leader = this.inFlight.putIfAbsent(flight, mine);
        return (leader != null) ? new Ticket(flight, leader, false) : new Ticket(flight, mine, true);
    }

    /**
     * An answer: the entry and whether it came from the cache. Those who joined a flight always get
     * it as a cache hit.
     */
    record Answer(CacheEntry entry, boolean fromCache) {}

    private record Flight(CacheBackend backend, CacheKey key) {}

    /** One caller's place in a flight. */
    final class Ticket {

        private final Flight flight;
        private final CompletableFuture<Answer> answer;
        private final boolean leads;

        private Ticket(Flight flight, CompletableFuture<Answer> answer, boolean leads) {
            this.flight = flight;
            this.answer = answer;
            this.leads = leads;
        }

        /** Whether this caller leads the flight and must {@link #land} or {@link #crash} it. */
        boolean leads() {
            return this.leads;
        }

        /** Ends the flight with its answer, after the answer was stored. */
        void land(Answer answer) {
            Flights.this.inFlight.remove(this.flight, this.answer);
            this.answer.complete(answer);
        }

        /** Ends the flight with the leader's error; a {@link CancellationException} sends the others on their own. */
        void crash(Throwable error) {
            Flights.this.inFlight.remove(this.flight, this.answer);
            this.answer.completeExceptionally(error);
        }

        /**
         * The leader's answer, awaited on this thread for at most {@code timeout} (null: as long as
         * the leader takes); null when the leader gave up, so that this caller goes on its own.
         * Throws the leader's error, or {@link LlmException} when the wait outlasts the timeout.
         */
        @Nullable
        Answer await(@Nullable Duration timeout) throws Throwable {
            try {
                return (timeout != null)
                        ? this.answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS)
                        : this.answer.join();
            } catch (CancellationException gaveUp) {
                return null;
            } catch (TimeoutException waitedTooLong) {
                throw outlasted(timeout);
            } catch (CompletionException | ExecutionException ex) {
                if (ex.getCause() instanceof CancellationException) {
                    return null;
                }
                throw ex.getCause();
            }
        }

        /**
         * The leader's answer without blocking, waited for at most {@code timeout} (null: as long as
         * the leader takes); empty when the leader gave up.
         */
        Mono<Answer> answer(@Nullable Duration timeout) {
            Mono<Answer> answer = Mono.fromFuture(this.answer, true)
                    .onErrorResume(CancellationException.class, gaveUp -> Mono.empty());
            return (timeout != null) ? answer.timeout(timeout, Mono.error(() -> outlasted(timeout))) : answer;
        }

        private static LlmException outlasted(Duration timeout) {
            return new LlmException(0, "no answer within " + timeout + " from the identical call in flight");
        }
    }
}
