package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheOutcome;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionChunks;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.LlmResponse;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * A chat completion as a stream of chunks: the provider's chunks are passed on as they arrive and,
 * once the stream completed, stored with the completion they make up; a stored answer is replayed
 * chunk for chunk. The call is reported when the stream ends.
 */
final class ChunkStreamShape extends ResponseShape<Flux<ChatCompletionChunk>> {

    private final Clock clock;

    ChunkStreamShape(Clock clock) {
        this.clock = clock;
    }

    @Override
    Flux<ChatCompletionChunk> deferContextual(CallMode mode, Function<ContextView, Flux<ChatCompletionChunk>> body) {
        return Flux.deferContextual(body);
    }

    @Override
    <T> Flux<ChatCompletionChunk> then(Step<T> step, Function<T, Flux<ChatCompletionChunk>> next) {
        return step.toMono().flatMapMany(next);
    }

    @Override
    Flux<ChatCompletionChunk> error(Throwable error) {
        return Flux.error(error);
    }

    @Override
    Flux<ChatCompletionChunk> direct(Provider provider, LlmRequest request) {
        return provider.stream(request);
    }

    @Override
    Flux<ChatCompletionChunk> bypass(Call call, CacheSettings settings) {
        return recorded(
                call.provider().stream(call.request()),
                StreamRecording.completionOnly(settings.maxStreamSize().toBytes()),
                null,
                recording -> Mono.fromRunnable(() -> report(call, recording, recording.completion())));
    }

    /** Reports the stream's {@code completion}, marked as truncated when the recording cut it. */
    private static void report(Call call, StreamRecording recording, @Nullable LlmResponse completion) {
        if (recording.isCut()) {
            call.watch().responseTruncated();
        }
        call.report(completion, null);
    }

    /**
     * A stream that fails is reported here, whatever failed: the provider's stream, or the wait of a
     * caller who joined a flight; one that completes is reported where its response is known.
     */
    @Override
    Flux<ChatCompletionChunk> watched(Call call, Flux<ChatCompletionChunk> result) {
        return result.doOnError(error -> call.report(null, error))
                .doOnCancel(() -> call.report(null, new CancellationException("the caller cancelled")));
    }

    /**
     * Whether a stored entry can answer a stream: it holds its own chunks, or a completion without
     * tool calls, which splits into chunks without loss.
     */
    @Override
    boolean canAnswer(CacheEntry entry) {
        return entry.chunks() != null
                || (entry.response() instanceof ChatCompletion completion
                        && completion.choices().stream()
                                .allMatch(choice -> choice.message().toolCalls() == null));
    }

    /** A stream asked with {@code stream_options.include_usage}, which ends with a usage chunk. */
    @Override
    boolean expectsUsage(LlmRequest request) {
        return request instanceof ChatCompletionRequest chat && chat.includesUsage();
    }

    /**
     * A stored answer as a stream: its own chunks, as they came, or the completion split into the chunks
     * OpenAI would send for this request; either way ending with a usage chunk only when it asked for one
     * (a key that leaves {@code stream_options} out lets a stream asked with it answer one asked without).
     */
    @Override
    Flux<ChatCompletionChunk> answer(Call call, Answer answer) {
        CacheEntry entry = answer.entry();
        boolean usage = expectsUsage(call.request());
        List<ChatCompletionChunk> chunks = (entry.chunks() != null)
                ? (usage || entry.isStreamWithoutUsage() ? entry.chunks() : withoutUsageChunk(entry.chunks()))
                : ChatCompletionChunks.split((ChatCompletion) entry.response(), usage);
        return Flux.fromIterable(chunks)
                .map(chunk -> chunk.withCacheHit(true))
                .doOnComplete(() -> call.report(answer.asHit().response(call.plan()), null));
    }

    /** {@code chunks} without OpenAI's usage chunk, the one with usage and no choices, which only a stream asking for it gets. */
    private static List<ChatCompletionChunk> withoutUsageChunk(List<ChatCompletionChunk> chunks) {
        return chunks.stream()
                .filter(chunk -> !chunk.choices().isEmpty() || chunk.usage() == null)
                .toList();
    }

    /** A stream's timeout bounds each chunk, and a follower gets none before the leader's stream ends. */
    @Override
    boolean callsOnItsOwnAfterWaitingOutItsTimeout() {
        return true;
    }

    /** A stale stream entry replays only when the provider failed before its first chunk. */
    @Override
    Flux<ChatCompletionChunk> orStale(Call call, Flux<ChatCompletionChunk> resolved, Answer stale) {
        return Flux.defer(() -> {
            AtomicBoolean began = new AtomicBoolean();
            return resolved.doOnNext(chunk -> began.set(true))
                    .onErrorResume(
                            error -> !began.get() && ProviderFailures.isOutage(error), error -> answer(call, stale));
        });
    }

    /**
     * The provider's stream, passed on chunk by chunk; when it completes, stored with its chunks. As
     * soon as it cannot be stored (a tool call, or past {@code max-stream-size}), the flight's
     * followers go on their own. A stream asked for its usage that completed without it (a server that
     * closed the connection before the usage chunk, without {@code [DONE]}, or one that never sends it)
     * is passed on as received but not stored: it is cut off, and no call with its key could be
     * answered from it.
     */
    @Override
    Flux<ChatCompletionChunk> resolve(Call call, boolean readFailed, SingleFlight.@Nullable Flight flight) {
        CachePlan plan = call.plan();
        Runnable unstorable = () -> {
            if (flight != null) {
                flight.fail(new CancellationException("the stream cannot be stored"));
            }
        };
        StreamRecording recording = new StreamRecording(plan.maxStreamBytes(), unstorable);
        Flux<ChatCompletionChunk> stream = recorded(call.provider().stream(call.request()), recording, flight, done -> {
            ChatCompletion completion = done.completion();
            List<ChatCompletionChunk> chunks = done.storable();
            if (completion == null || chunks == null || (completion.usage() == null && expectsUsage(call.request()))) {
                unstorable.run();
                report(
                        call,
                        done,
                        (completion != null)
                                ? completion.withCacheResult(false, plan.key().key())
                                : null);
                return Mono.empty();
            }
            Answer answer = new Answer(
                    plan.stored(new CacheEntry(completion, this.clock.instant(), chunks)), CacheOutcome.MISS);
            Mono<?> write = (readFailed || !plan.stores(answer.entry().response()))
                    ? Mono.empty()
                    : call.write(answer.entry()).toMono();
            return write.then(Mono.fromRunnable(() -> {
                if (flight != null) {
                    flight.complete(answer);
                }
                call.report(answer.response(plan), null);
            }));
        });
        return (flight != null) ? sharedWithFollowers(stream, flight) : stream;
    }

    /**
     * The leader's stream, cancelled with the provider's when the leader cancels, unless followers
     * still wait for it: then it runs on in the background, to be stored and given to them, until its
     * end or until the flight fails (the stream cannot be stored), which sends them on their own.
     */
    private static Flux<ChatCompletionChunk> sharedWithFollowers(
            Flux<ChatCompletionChunk> stream, SingleFlight.Flight flight) {
        Flux<ChatCompletionChunk> shared = stream.publish().refCount(1);
        return shared.doOnCancel(() -> {
            if (flight.isAwaited()) {
                flight.whenFailed(shared.subscribe(chunk -> {}, error -> {})::dispose);
            }
        });
    }

    /**
     * {@code chunks} passed on as they arrive and added to the {@code recording}, which
     * {@code onComplete} gets once the stream completed normally. A stream that fails or is cancelled
     * stores nothing and sends the flight's other callers on their own.
     */
    private static Flux<ChatCompletionChunk> recorded(
            Flux<ChatCompletionChunk> chunks,
            StreamRecording recording,
            SingleFlight.@Nullable Flight flight,
            Function<StreamRecording, Mono<Void>> onComplete) {
        return chunks.doOnNext(recording::add)
                .concatWith(Mono.defer(() -> onComplete.apply(recording)).then(Mono.empty()))
                .doOnError(error -> {
                    if (flight != null) {
                        flight.fail(error);
                    }
                })
                .doOnCancel(() -> {
                    if (flight != null) {
                        flight.fail(new CancellationException("the stream was cancelled"));
                    }
                });
    }
}
