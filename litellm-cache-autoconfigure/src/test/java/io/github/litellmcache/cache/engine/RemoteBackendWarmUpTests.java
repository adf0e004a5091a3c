package io.github.litellmcache.cache.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.NonBlockingCacheBackend;
import io.github.litellmcache.cache.local.LocalCacheBackend;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.Usage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The warm-up of a remote backend's {@link GuardedBackend}: calls issued while the store's first
 * operation is slower than the timeout wait for it instead of missing, and a store that is down
 * ends the wait.
 */
class RemoteBackendWarmUpTests {

    private static final Duration TIMEOUT = Duration.ofMillis(100);

    /** Far beyond the timeout, well within the warm-up deadline. */
    private static final Duration SLOW_FIRST_OPERATION = Duration.ofMillis(800);

    /** Far below the warm-up deadline: what "fast" and "does not block" mean here. */
    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    private final CacheKey key = new CacheKey(null, "k");

    private final CacheEntry entry = new CacheEntry(
            new ChatCompletion(
                    "chatcmpl-1",
                    1L,
                    "gpt-4o-mini",
                    List.of(new ChatCompletion.Choice(0, ChatMessage.assistant("Paris"), "stop")),
                    new Usage(9, 1, 10),
                    null),
            Instant.EPOCH);

    @Test
    void readDuringASlowWarmUpWaitsAndReturnsTheEntryInsteadOfAMiss() {
        SlowStartStore store = SlowStartStore.slow(SLOW_FIRST_OPERATION);
        store.local.put(this.key, this.entry, null);
        GuardedBackend backend = guarded(store);

        assertThat(backend.read(this.key, CallMode.BLOCKING).toMono().block()).isEqualTo(Read.of(this.entry));
        assertThat(backend.read(this.key, CallMode.REACTIVE).toMono().block()).isEqualTo(Read.of(this.entry));
        assertThat(backend.readAll(List.of(this.key), CallMode.BLOCKING)
                        .toMono()
                        .block())
                .isEqualTo(Read.of(Map.of(this.key, this.entry)));
    }

    @Test
    void reactiveReadsDuringASlowWarmUpAllWaitAndAreNotCountedAsFailures() {
        SlowStartStore store = SlowStartStore.slow(SLOW_FIRST_OPERATION);
        store.local.put(this.key, this.entry, null);
        GuardedBackend backend = guarded(store);

        List<Read<CacheEntry>> found = Flux.range(0, 10)
                .flatMap(i -> backend.read(this.key, CallMode.REACTIVE).toMono())
                .collectList()
                .block();

        assertThat(found).hasSize(10).containsOnly(Read.of(this.entry));
        assertThat(backend.isAvailable()).isTrue();
    }

    @Test
    void writeOfAMissDuringASlowWarmUpIsStored() {
        SlowStartStore store = SlowStartStore.slow(SLOW_FIRST_OPERATION);
        GuardedBackend backend = guarded(store);
        CacheKey other = new CacheKey(null, "other");

        assertThat(backend.read(this.key, CallMode.BLOCKING).toMono().block()).isEqualTo(Read.empty());
        backend.write(this.key, this.entry, null, CallMode.BLOCKING).toMono().block();
        backend.write(other, this.entry, null, CallMode.REACTIVE).toMono().block();

        assertThat(store.local.get(this.key)).isEqualTo(this.entry);
        assertThat(store.local.get(other)).isEqualTo(this.entry);
    }

    @Test
    void writesAreGivenTheWarmUpDeadlineUntilOneSucceedsAsTheWritePathIsColdToo() {
        SlowStartStore store = SlowStartStore.slowFirstWrite(SLOW_FIRST_OPERATION);
        GuardedBackend backend = guarded(store);
        CacheKey other = new CacheKey(null, "other");
        assertThat(backend.read(this.key, CallMode.BLOCKING).toMono().block()).isEqualTo(Read.empty());

        assertThat(backend.write(this.key, this.entry, null, CallMode.BLOCKING)
                        .toMono()
                        .block())
                .isEqualTo(Read.of(Boolean.TRUE));
        store.slowNextWrite(SLOW_FIRST_OPERATION);
        assertThat(backend.write(other, this.entry, null, CallMode.REACTIVE)
                        .toMono()
                        .block())
                .isEqualTo(Read.failure());

        assertThat(store.local.get(this.key)).isEqualTo(this.entry);
    }

    @Test
    void aReactiveFirstWriteIsGivenTheWarmUpDeadlineToo() {
        SlowStartStore store = SlowStartStore.slowFirstWrite(SLOW_FIRST_OPERATION);
        GuardedBackend backend = guarded(store);
        assertThat(backend.read(this.key, CallMode.REACTIVE).toMono().block()).isEqualTo(Read.empty());

        assertThat(backend.write(this.key, this.entry, null, CallMode.REACTIVE)
                        .toMono()
                        .block())
                .isEqualTo(Read.of(Boolean.TRUE));
        assertThat(store.local.get(this.key)).isEqualTo(this.entry);
    }

    @Test
    void aFirstReadOfSeveralEntriesIsGivenTheWarmUpDeadlineAfterReadsOfOneHaveWarmedAsItRunsCodeOfItsOwn() {
        SlowStartStore store = SlowStartStore.slow(Duration.ZERO);
        store.local.put(this.key, this.entry, null);
        GuardedBackend backend = guarded(store);
        assertThat(backend.read(this.key, CallMode.BLOCKING).toMono().block()).isEqualTo(Read.of(this.entry));

        store.slowNextBulkRead(SLOW_FIRST_OPERATION);
        assertThat(backend.readAll(List.of(this.key), CallMode.BLOCKING)
                        .toMono()
                        .block())
                .isEqualTo(Read.of(Map.of(this.key, this.entry)));
        store.slowNextBulkRead(SLOW_FIRST_OPERATION);
        assertThat(backend.readAll(List.of(this.key), CallMode.REACTIVE)
                        .toMono()
                        .block())
                .as("once one has answered, a read of several has the operations' deadline")
                .isEqualTo(Read.failure());
    }

    @Test
    void aReadOfSeveralEntriesThatFindsNoneLeavesTheFirstThatFindsOneTheWarmUpDeadline() {
        SlowStartStore store = SlowStartStore.slow(Duration.ZERO);
        GuardedBackend backend = guarded(store);
        for (CallMode mode : CallMode.values()) {
            assertThat(backend.readAll(List.of(this.key), mode).toMono().block())
                    .as("a read of several that finds none")
                    .isEqualTo(Read.of(Map.of()));
        }

        store.local.put(this.key, this.entry, null);
        store.slowNextBulkRead(SLOW_FIRST_OPERATION);
        assertThat(backend.readAll(List.of(this.key), CallMode.BLOCKING)
                        .toMono()
                        .block())
                .as("the first that finds one runs the path that decodes entries, cold until then")
                .isEqualTo(Read.of(Map.of(this.key, this.entry)));
    }

    @Test
    void aFirstWriteOfSeveralEntriesIsGivenTheWarmUpDeadlineAfterWritesOfOneHaveWarmed() {
        SlowStartStore store = SlowStartStore.slow(Duration.ZERO);
        GuardedBackend backend = guarded(store);
        CacheKey other = new CacheKey(null, "other");
        assertThat(backend.write(this.key, this.entry, null, CallMode.BLOCKING)
                        .toMono()
                        .block())
                .isEqualTo(Read.of(Boolean.TRUE));

        store.slowNextWrite(SLOW_FIRST_OPERATION);
        assertThat(backend.writeAll(Map.of(other, this.entry), null, CallMode.REACTIVE)
                        .toMono()
                        .block())
                .isEqualTo(Read.of(Boolean.TRUE));
        assertThat(store.local.get(other)).isEqualTo(this.entry);
    }

    @Test
    void asynchronousWriteIssuedFirstDuringASlowWarmUpIsStored() {
        SlowStartStore store = SlowStartStore.slow(SLOW_FIRST_OPERATION);
        GuardedBackend backend = guarded(store);

        backend.writeAll(Map.of(this.key, this.entry), null, CallMode.REACTIVE)
                .toMono()
                .block();

        assertThat(store.local.get(this.key)).isEqualTo(this.entry);
    }

    @Test
    void creatingTheBackendDoesNotWaitForItsWarmUp() {
        long start = System.nanoTime();
        guarded(SlowStartStore.slow(Duration.ofSeconds(3)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
    }

    @Test
    void failedWarmUpEndsTheWaitSoCallsFailFast() {
        GuardedBackend backend = guarded(SlowStartStore.down());

        long start = System.nanoTime();
        assertThat(backend.read(this.key, CallMode.BLOCKING).toMono().block()).isEqualTo(Read.failure());
        assertThat(backend.read(this.key, CallMode.REACTIVE).toMono().block()).isEqualTo(Read.failure());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
    }

    private static GuardedBackend guarded(CacheBackend store) {
        return new GuardedBackend(store, TIMEOUT, Duration.ofMinutes(1), List.of());
    }

    /**
     * A local store behind a connection whose first operation (the warm-up's, as it comes first)
     * takes {@code firstOperation} to answer, as a connection made in a cold JVM does, or that is
     * down and refuses every operation at once.
     */
    private static final class SlowStartStore implements NonBlockingCacheBackend {

        final LocalCacheBackend local = new LocalCacheBackend(100);

        private final @Nullable Duration firstOperation;

        private final AtomicBoolean connected = new AtomicBoolean();

        /** How long the next write takes, on top of the connection: its path cold, as the first one in a JVM. */
        private final AtomicReference<Duration> nextWrite = new AtomicReference<>(Duration.ZERO);

        private final AtomicReference<Duration> nextBulkRead = new AtomicReference<>(Duration.ZERO);

        private SlowStartStore(@Nullable Duration firstOperation) {
            this.firstOperation = firstOperation;
        }

        static SlowStartStore slow(Duration firstOperation) {
            return new SlowStartStore(firstOperation);
        }

        /** A store that connects at once, and whose first write takes {@code firstWrite}. */
        static SlowStartStore slowFirstWrite(Duration firstWrite) {
            SlowStartStore store = new SlowStartStore(Duration.ZERO);
            store.slowNextWrite(firstWrite);
            return store;
        }

        void slowNextWrite(Duration write) {
            this.nextWrite.set(write);
        }

        /** Makes the next read of several entries take {@code read}: its path cold, as the first one in a JVM. */
        void slowNextBulkRead(Duration read) {
            this.nextBulkRead.set(read);
        }

        static SlowStartStore down() {
            return new SlowStartStore(null);
        }

        @Override
        public String name() {
            return "slow-start";
        }

        @Override
        public Mono<CacheEntry> getAsync(CacheKey key) {
            return connected(this.local.getAsync(key));
        }

        @Override
        public Mono<Map<CacheKey, CacheEntry>> getAllAsync(Collection<CacheKey> keys) {
            return connected(Mono.defer(
                    () -> Mono.delay(this.nextBulkRead.getAndSet(Duration.ZERO)).then(this.local.getAllAsync(keys))));
        }

        @Override
        public Mono<Void> putAsync(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
            return connected(Mono.defer(() ->
                    Mono.delay(this.nextWrite.getAndSet(Duration.ZERO)).then(this.local.putAsync(key, entry, ttl))));
        }

        @Override
        public void clear() {
            this.local.clear();
        }

        /** {@code operation} once connected; the first one subscribed makes the connection. */
        private <T> Mono<T> connected(Mono<T> operation) {
            return Mono.defer(() -> {
                if (this.firstOperation == null) {
                    return Mono.error(new IOException("Connection refused"));
                }
                return this.connected.compareAndSet(false, true)
                        ? Mono.delay(this.firstOperation).then(operation)
                        : operation;
            });
        }
    }
}
