package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheKey;
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
 * The first call leads the flight; the others wait for its answer, without blocking an event loop
 * when they are reactive, and get its error if it fails. A flight is forgotten as soon as it is
 * completed, after its answer was stored, so that later calls find the answer in the cache.
 */
final class SingleFlight {

    private final ConcurrentMap<Key, CompletableFuture<Answer>> inFlight = new ConcurrentHashMap<>();

    /** The flight of {@code key} on {@code backend}: led by this caller, or joined. */
    Flight join(CacheBackend backend, CacheKey key) {
        Key flight = new Key(backend, key);
        CompletableFuture<Answer> mine = new CompletableFuture<>();
        CompletableFuture<Answer> leader = this.inFlight.putIfAbsent(flight, mine);
        return (leader != null) ? new Flight(flight, leader, false) : new Flight(flight, mine, true);
    }

    private record Key(CacheBackend backend, CacheKey key) {}

    /** One caller's place in a flight. */
    final class Flight {

        private final Key key;
        private final CompletableFuture<Answer> answer;
        private final boolean leads;

        private Flight(Key key, CompletableFuture<Answer> answer, boolean leads) {
            this.key = key;
            this.answer = answer;
            this.leads = leads;
        }

        /** Whether this caller leads the flight and must {@link #complete} or {@link #fail} it. */
        boolean leads() {
            return this.leads;
        }

        /** Ends the flight with its answer, after the answer was stored. */
        void complete(Answer answer) {
            SingleFlight.this.inFlight.remove(this.key, this.answer);
            this.answer.complete(answer);
        }

        /** Ends the flight with the leader's error; a {@link CancellationException} sends the others on their own. */
        void fail(Throwable error) {
            SingleFlight.this.inFlight.remove(this.key, this.answer);
            this.answer.completeExceptionally(error);
        }

        /**
         * The leader's answer, waited for at most {@code timeout} (null: as long as the leader takes),
         * on the caller's thread in a blocking call; empty when the leader gave up, so that this
         * caller goes on its own. Fails with the leader's error, or with {@link LlmException} when the
         * wait outlasts the timeout.
         */
        Step<Answer> answer(@Nullable Duration timeout, CallMode mode) {
            if (mode == CallMode.BLOCKING) {
                return Step.now(() -> await(timeout));
            }
            Mono<Answer> answer = Mono.fromFuture(this.answer, true)
                    .onErrorResume(CancellationException.class, gaveUp -> Mono.empty());
            return Step.later(
                    (timeout != null) ? answer.timeout(timeout, Mono.error(() -> outlasted(timeout))) : answer);
        }

        private @Nullable Answer await(@Nullable Duration timeout) throws Throwable {
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

        private static LlmException outlasted(Duration timeout) {
            return new LlmException(0, "no answer within " + timeout + " from the identical call in flight");
        }
    }
}
