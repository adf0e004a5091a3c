package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.ClearFence;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.completion.LlmRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * Single-flight: concurrent identical calls (same backend, same key, same caller) make one provider
 * request. The first call leads the flight; the others wait for its answer, without blocking an
 * event loop when they are reactive. A flight is forgotten as soon as it is completed, after its
 * answer was stored, so that later calls find the answer in the cache.
 *
 * <p>Only successes are shared. Callers whose per-request credentials or endpoint differ (API key,
 * API base, API version) never share a flight, even under one cache key: the flight is keyed by a
 * hash of them, never by the secret itself. When the leader fails, its followers do not take its
 * error: they join a new flight of the key, whose leader makes the call again for them. The error of
 * that second flight is shared unless it belongs to its leader alone (a cancellation, a timeout, a
 * 401, 403, 408 or 429), so that a failing provider sees at most two requests per key and wave of
 * callers, while no caller fails for another's short timeout, cancellation or rate limit.
 *
 * <p>A call that expects its answer's usage never waits for a flight whose answer comes without it (a
 * stream not asking for it), which it could not take: it leads or joins a flight of answers with usage,
 * beside the other. A call that needs no usage joins a flight with usage when there is one.
 */
final class SingleFlight {

    private static final String NO_CALLER = "";

    private final ConcurrentMap<Key, Pending> inFlight = new ConcurrentHashMap<>();

    /**
     * The flight of {@code key} on {@code backend} for the caller of {@code request} among the calls of
     * {@code generation}: led by this caller, or joined; {@code withUsage} when the call's answer carries
     * its usage, which it then expects of the flight's; {@code rejoined} when this caller's previous flight
     * failed. A call begun after a clear never takes the answer of one begun before.
     */
    Flight join(
            ClearFence.Generation generation,
            CacheBackend backend,
            CacheKey key,
            LlmRequest request,
            boolean withUsage,
            boolean rejoined) {
        String caller = caller(request);
        Key usageFlight = new Key(generation, backend, key, caller, true);
        Pending withIt = withUsage ? null : this.inFlight.get(usageFlight);
        if (withIt != null) {
            return follow(usageFlight, withIt, rejoined);
        }
        Key flight = withUsage ? usageFlight : new Key(generation, backend, key, caller, false);
        Pending mine = new Pending();
        Pending leader = this.inFlight.putIfAbsent(flight, mine);
        return (leader == null) ? new Flight(flight, mine, true, rejoined) : follow(flight, leader, rejoined);
    }

    private Flight follow(Key flight, Pending leader, boolean rejoined) {
        leader.followers.incrementAndGet();
        return new Flight(flight, leader, false, rejoined);
    }

    /**
     * A hash of the request's own credentials and endpoint, each preceded by its length so that no two
     * callers' values run into the same bytes; empty when it has none.
     */
    static String caller(LlmRequest request) {
        if (request.apiKey() == null && request.apiBase() == null && request.apiVersion() == null) {
            return NO_CALLER;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : Arrays.asList(request.apiKey(), request.apiBase(), request.apiVersion())) {
                byte[] bytes = Objects.toString(part, "").getBytes(StandardCharsets.UTF_8);
                digest.update(
                        ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
        }
    }

    private record Key(
            ClearFence.Generation generation, CacheBackend backend, CacheKey key, String caller, boolean withUsage) {}

    /** A flight's answer to come, and how many followers wait for it. */
    private static final class Pending extends CompletableFuture<Answer> {

        private final AtomicInteger followers = new AtomicInteger();
    }

    /** One caller's place in a flight. */
    final class Flight {

        private final Key key;
        private final Pending answer;
        private final boolean leads;
        private final boolean rejoined;

        private Flight(Key key, Pending answer, boolean leads, boolean rejoined) {
            this.key = key;
            this.answer = answer;
            this.leads = leads;
            this.rejoined = rejoined;
        }

        /** Whether this caller leads the flight and must {@link #complete} or {@link #fail} it. */
        boolean leads() {
            return this.leads;
        }

        /** Whether a follower still waits for the flight's answer. */
        boolean isAwaited() {
            return this.answer.followers.get() > 0;
        }

        /** Ends the flight with its answer, after the answer was stored. */
        void complete(Answer answer) {
            SingleFlight.this.inFlight.remove(this.key, this.answer);
            this.answer.complete(answer);
        }

        /** Ends the flight with the leader's error, which its followers take only as the class says. */
        void fail(Throwable error) {
            SingleFlight.this.inFlight.remove(this.key, this.answer);
            this.answer.completeExceptionally(error);
        }

        /** Runs {@code action} once the flight has failed: at once when it already has. */
        void whenFailed(Runnable action) {
            this.answer.whenComplete((ended, error) -> {
                if (error != null) {
                    action.run();
                }
            });
        }

        /** Runs {@code action} once the flight has ended, completed or failed: at once when it already has. */
        void whenEnded(Runnable action) {
            this.answer.whenComplete((ended, error) -> action.run());
        }

        /**
         * The flight's answer, waited for at most {@code timeout} (null: as long as the leader takes),
         * on the caller's thread in a blocking call (an interrupt of that thread ends the wait). The
         * leader gets its own error; a follower gets nothing when the leader failed, so that it goes on
         * its own, unless it already rejoined and the error is the provider's. Fails with
         * {@link LlmException} ({@link SingleFlight#isOutlasted}) when the wait outlasts the timeout.
         */
        Step<Answer> answer(@Nullable Duration timeout, CallMode mode) {
            if (mode == CallMode.BLOCKING) {
                return Step.now(() -> {
                    try {
                        return await(timeout);
                    } finally {
                        leave();
                    }
                });
            }
            // The end read as a value: a caller that gave up is never handed a later error, which Reactor logs as
            // dropped.
            Mono<Answer> answer = Mono.fromFuture(
                            this.answer.handle((ended, error) ->
                                    (error != null) ? Mono.<Answer>error(error) : Mono.justOrEmpty(ended)),
                            true)
                    .flatMap(Function.identity())
                    .onErrorResume(this::goesOnItsOwn, gaveUp -> Mono.empty());
            return Step.later(
                    ((timeout != null) ? answer.timeout(timeout, Mono.error(() -> new Outlasted(timeout))) : answer)
                            .doFinally(signal -> leave()));
        }

        /** A follower no longer waits. */
        private void leave() {
            if (!this.leads) {
                this.answer.followers.decrementAndGet();
            }
        }

        private boolean goesOnItsOwn(Throwable error) {
            return !this.leads && (!this.rejoined || ProviderFailures.isCallersOwn(error));
        }

        private @Nullable Answer await(@Nullable Duration timeout) throws Throwable {
            try {
                return (timeout != null) ? this.answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS) : this.answer.get();
            } catch (TimeoutException waitedTooLong) {
                throw new Outlasted(timeout);
            } catch (ExecutionException ex) {
                return given(ex.getCause());
            } catch (CancellationException gaveUp) {
                return given(gaveUp);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw Exceptions.propagate(interrupted);
            }
        }

        private @Nullable Answer given(Throwable error) throws Throwable {
            if (goesOnItsOwn(error)) {
                return null;
            }
            throw error;
        }
    }

    /** Whether {@code error} says that a follower's wait outlasted its timeout. */
    static boolean isOutlasted(Throwable error) {
        return error instanceof Outlasted;
    }

    /** A follower's wait for the flight's answer outlasted its timeout. */
    private static final class Outlasted extends LlmException {

        Outlasted(Duration timeout) {
            super(0, "no answer within " + timeout + " from the identical call in flight");
        }
    }
}
