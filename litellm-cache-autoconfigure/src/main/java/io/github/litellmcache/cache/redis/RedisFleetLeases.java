package io.github.litellmcache.cache.redis;

import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.FleetLeases;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReactiveSubscription;
import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * One provider call per fleet on Redis. The lease of a key is {@code SET <key-prefix>lock/<namespace>:<key>
 * <token> NX PX 3000}, renewed every second while its call runs ({@code PEXPIRE} if the token is still
 * ours), released by a compare-and-delete script, then {@code PUBLISH <key-prefix>done <namespace>:<key>}.
 * Each instance holds one subscription to that channel, made on its first lease and kept for the
 * backend's life, whatever the number of waiting calls. A leader that dies stops renewing: its lease
 * expires within 3 s and a waiting instance takes it. One that shuts down ({@link #close()}) releases the leases
 * its unfinished calls hold, then publishes {@code <key-prefix>abandoned <namespace>:<key>}: waiting instances try
 * the lease again at once, and one of them calls the provider (an instance without that subscription, of an earlier
 * version, finds the lease free when it next polls). Pub/sub channels are shared by every database of a server, so on a
 * database other than 0 the channels end with {@code @<database>}: instances on another database, which hold other
 * entries and leases, never take this one's messages for their own.
 */
final class RedisFleetLeases implements FleetLeases {

    static final Duration LEASE = Duration.ofSeconds(3);

    /** What the name of every lease starts with after the key prefix. */
    static final String LEASES = "lock/";

    private static final Duration RENEWAL = LEASE.dividedBy(3);

    /**
     * The longest {@link #close()} waits for each of its two steps (the release of the leases still held, the end of
     * the subscription), so that shutdown is not held up longer.
     */
    private static final Duration CLOSING_STEP = Duration.ofMillis(500);

    /** The name of the channel told of a call that ended, answered or failed. */
    private static final String DONE = "done";

    /** The name of the channel told of a lease released unfinished, as its instance shut down. */
    private static final String ABANDONED = "abandoned";

    private static final String IF_OURS = "if redis.call('get', KEYS[1]) == ARGV[1] then return ";

    private static final ByteBuffer RENEW =
            bytes(IF_OURS + "redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end");

    private static final long RENEWED = 1L;

    private static final long NOT_OURS = 0L;

    private static final long FAILED = -1L;

    private static final ByteBuffer RELEASE = bytes(IF_OURS + "redis.call('del', KEYS[1]) else return 0 end");

    private final ReactiveRedisConnectionFactory factory;
    private final Supplier<Mono<ReactiveRedisConnection>> connection;
    private final String keyPrefix;
    private final String done;
    private final String abandoned;
    private final String instance = UUID.randomUUID().toString();
    private final AtomicLong leases = new AtomicLong();
    private final Sinks.Many<ReactiveSubscription.Message<String, String>> endings =
            Sinks.many().multicast().directBestEffort();
    private final AtomicBoolean listening = new AtomicBoolean();
    private final Disposable.Swap listener = Disposables.swap();
    private final Set<RedisLease> held = ConcurrentHashMap.newKeySet();
    private volatile Mono<Void> subscribed = Mono.empty();
    private volatile Mono<Void> unsubscribed = Mono.empty();

    RedisFleetLeases(
            ReactiveRedisConnectionFactory factory,
            Supplier<Mono<ReactiveRedisConnection>> connection,
            String keyPrefix,
            int database) {
        this.factory = factory;
        this.connection = connection;
        this.keyPrefix = keyPrefix;
        this.done = channel(keyPrefix, DONE, database);
        this.abandoned = channel(keyPrefix, ABANDONED, database);
    }

    /** The channel {@code name} of the instances on {@code database}: {@code <key-prefix><name>[@<database>]}. */
    private static String channel(String keyPrefix, String name, int database) {
        return keyPrefix + name + ((database == 0) ? "" : "@" + database);
    }

    @Override
    public Mono<Optional<Lease>> lead(CacheKey key) {
        listen();
        ByteBuffer lock = bytes(this.keyPrefix + LEASES + key.qualified());
        String token = this.instance + ":" + this.leases.incrementAndGet();
        return this.connection
                .get()
                .flatMap(redis -> redis.stringCommands()
                        .set(
                                lock,
                                bytes(token),
                                Expiration.milliseconds(LEASE.toMillis()),
                                RedisStringCommands.SetOption.ifAbsent()))
                .defaultIfEmpty(Boolean.FALSE)
                .map(taken -> taken ? Optional.of(new RedisLease(key, lock, token)) : Optional.empty());
    }

    /** True when the holder's call ended; false after {@code within}, or sooner when the holder abandoned the lease. */
    @Override
    public Mono<Boolean> ended(CacheKey key, Duration within) {
        String qualified = key.qualified();
        return this.endings
                .asFlux()
                .filter(message -> qualified.equals(message.getMessage()))
                .next()
                .map(message -> this.done.equals(message.getChannel()))
                .timeout(within, Mono.just(Boolean.FALSE))
                .defaultIfEmpty(Boolean.FALSE);
    }

    @Override
    public Duration pollInterval() {
        return RENEWAL;
    }

    /**
     * Releases the leases of the calls still running, as their answers will not be stored, then ends the subscription
     * once it is made, waiting for each step at most {@link #CLOSING_STEP}: the backend closes its connections next, and
     * a subscription still closing its own then makes Lettuce warn; one ended while it is being made leaves the
     * connection it was getting unreleased (a pooled connection factory warns of it as it stops). A lease whose
     * release did not make it expires by itself.
     */
    void close() {
        abandonHeld();
        awaitBriefly(this.subscribed);
        this.listener.dispose();
        this.endings.tryEmitComplete();
        awaitBriefly(this.unsubscribed);
    }

    /**
     * Releases the leases held now and tells the waiting instances they were abandoned, as at shutdown, waiting at most
     * {@link #CLOSING_STEP}: a lease whose release did not make it stays held until its call ends.
     */
    @Override
    public void abandonHeld() {
        awaitBriefly(Flux.fromIterable(List.copyOf(this.held))
                .flatMap(lease -> lease.end(this.abandoned))
                .then());
    }

    /** Waits for {@code step}, whatever its end, at most {@link #CLOSING_STEP}; not on a thread that must not block. */
    private static void awaitBriefly(Mono<Void> step) {
        Mono<Void> bounded = step.timeout(CLOSING_STEP, Mono.empty()).onErrorResume(error -> Mono.empty());
        if (Schedulers.isInNonBlockingThread()) {
            bounded.subscribe();
        } else {
            bounded.block();
        }
    }

    /** Subscribes to the channel once, off the caller's thread, and again whenever the subscription fails. */
    private void listen() {
        if (!this.listening.compareAndSet(false, true)) {
            return;
        }
        ChannelTopic done = ChannelTopic.of(this.done);
        ChannelTopic abandoned = ChannelTopic.of(this.abandoned);
        Flux<ReactiveSubscription.Message<String, String>> messages = Flux.usingWhen(
                        Mono.fromCallable(() -> new ReactiveRedisMessageListenerContainer(this.factory))
                                .subscribeOn(Schedulers.boundedElastic()),
                        container -> received(container, done, abandoned),
                        this::destroyed)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(RENEWAL));
        this.listener.update(messages.subscribe(this.endings::tryEmitNext, error -> {}));
    }

    /** The messages of {@code topics}, the making of their subscription kept for {@link #close()} to wait for. */
    private Flux<ReactiveSubscription.Message<String, String>> received(
            ReactiveRedisMessageListenerContainer container, ChannelTopic... topics) {
        Sinks.Empty<Void> made = Sinks.empty();
        this.subscribed = made.asMono();
        return container
                .receiveLater(topics)
                .doFinally(signal -> made.tryEmitEmpty())
                .flatMapMany(Function.identity());
    }

    /**
     * Destroys {@code container}, its end kept for {@link #close()} to wait for; nothing when the connection factory
     * has stopped, as its client has closed the subscription's connection (closing it again makes Lettuce warn).
     */
    private Mono<Void> destroyed(ReactiveRedisMessageListenerContainer container) {
        if (RedisCacheBackend.isStopped(this.factory)) {
            return Mono.empty();
        }
        Mono<Void> destroyed = container.destroyLater().cache();
        this.unsubscribed = destroyed;
        return destroyed;
    }

    private Mono<Long> ifOurs(ByteBuffer script, ByteBuffer lock, String token, String... more) {
        ByteBuffer[] keyAndArgs = new ByteBuffer[2 + more.length];
        keyAndArgs[0] = lock.duplicate();
        keyAndArgs[1] = bytes(token);
        for (int i = 0; i < more.length; i++) {
            keyAndArgs[2 + i] = bytes(more[i]);
        }
        return this.connection
                .get()
                .flatMapMany(redis ->
                        redis.scriptingCommands().<Long>eval(script.duplicate(), ReturnType.INTEGER, 1, keyAndArgs))
                .next();
    }

    private static ByteBuffer bytes(String value) {
        return ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A lease renewed from when it is held until it is released, or found to be another's, or has surely expired: a
     * renewal that fails (a connection down for a moment) is tried again at the next tick while the lease may still
     * be ours, so that a moment's outage does not hand the key to another instance. One never held expires.
     */
    private final class RedisLease implements Lease {

        private final CacheKey key;
        private final ByteBuffer lock;
        private final String token;
        private final Disposable.Swap renewal = Disposables.swap();
        private final AtomicBoolean ended = new AtomicBoolean();

        RedisLease(CacheKey key, ByteBuffer lock, String token) {
            this.key = key;
            this.lock = lock;
            this.token = token;
        }

        @Override
        public void hold() {
            RedisFleetLeases.this.held.add(this);
            AtomicLong renewed = new AtomicLong(System.nanoTime());
            this.renewal.update(Flux.interval(RENEWAL)
                    .takeWhile(tick -> System.nanoTime() - renewed.get() < LEASE.toNanos())
                    .concatMap(tick -> ifOurs(RENEW, this.lock, this.token, Long.toString(LEASE.toMillis()))
                            .onErrorReturn(FAILED))
                    .takeWhile(result -> result != NOT_OURS)
                    .subscribe(
                            result -> {
                                if (result == RENEWED) {
                                    renewed.set(System.nanoTime());
                                }
                            },
                            error -> {}));
        }

        @Override
        public void release() {
            end(RedisFleetLeases.this.done).subscribe(null, error -> {});
        }

        /** Releases the lease, if still ours, and tells {@code channel}; the first time only. */
        Mono<Void> end(String channel) {
            if (!this.ended.compareAndSet(false, true)) {
                return Mono.empty();
            }
            RedisFleetLeases.this.held.remove(this);
            this.renewal.dispose();
            return ifOurs(RELEASE, this.lock, this.token)
                    .then(RedisFleetLeases.this.connection.get())
                    .flatMap(redis -> redis.pubSubCommands().publish(bytes(channel), bytes(this.key.qualified())))
                    .then();
        }
    }
}
