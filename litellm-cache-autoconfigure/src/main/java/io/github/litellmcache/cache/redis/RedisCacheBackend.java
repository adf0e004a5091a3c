package io.github.litellmcache.cache.redis;

import static io.github.litellmcache.cache.RedisConnection.requireKeyPrefix;

import io.github.litellmcache.cache.CacheBackendClosedException;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheEntryCodec;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.FleetLeases;
import io.github.litellmcache.cache.NonBlockingCacheBackend;
import io.github.litellmcache.display.PropertyValues;
import io.github.litellmcache.display.ThrottledLog;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.SocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.Lifecycle;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;
import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Entries in Redis, through Spring Data Redis with Lettuce, shared by every instance of an
 * application. Each entry is one key, {@code <key-prefix><namespace>:<key>}, holding the
 * {@link CacheEntryCodec} envelope, written with {@code SET ... PX <ttl>} when a TTL applies, the envelope then
 * {@linkplain CacheEntry#freshUntil() fresh until} the TTL's end, so that no copy of it (a near tier's) answers
 * after, whenever Redis removes the key. Reads
 * and writes use Lettuce's reactive API; only the first connection is made on a worker thread.
 * Every command touches a single key but {@code MGET}, sent once per hash slot, so it works on a Redis Cluster.
 * {@link #clear()} scans for
 * the key prefix on every master and unlinks the entries in batches, never flushing the database, nor
 * the fleet's leases of running calls. Unless switched off, identical misses on different instances make
 * one provider call ({@link RedisFleetLeases}).
 */
public final class RedisCacheBackend implements NonBlockingCacheBackend {

    private static final int BATCH = 1_000;

    /**
     * The keys of one round of bulk reads and writes. An entry of a 1,536-dimension embedding holds its vector as JSON
     * numbers, about 19 KB: an {@code MGET} of 128 carries about 2.5 MB, some 20 ms on a 1 Gbit/s network plus its
     * decoding, well within the default 250 ms deadline, and a 2,048-item request takes 16 rounds rather than 128.
     */
    private static final int BULK_BATCH = 128;

    private static final Log logger = LogFactory.getLog(RedisCacheBackend.class);

    /**
     * The read settings under which every read goes to a master (the preferred ones read a replica only while the
     * master is down). A list, as a Lettuce where the older names are the same instances as the newer would make a set
     * refuse them.
     */
    private static final List<ReadFrom> READS_FROM_MASTERS =
            List.of(ReadFrom.UPSTREAM, ReadFrom.MASTER, ReadFrom.UPSTREAM_PREFERRED, ReadFrom.MASTER_PREFERRED);

    private final ReactiveRedisConnectionFactory reactiveFactory;
    private final RedisConnectionFactory factory;
    private final String keyPrefix;
    private final @Nullable LettuceConnectionFactory ownedFactory;
    private final CacheEntryCodec codec = new CacheEntryCodec();
    private final ThrottledLog oversized = new ThrottledLog(logger, Duration.ofMinutes(1));
    private final AtomicReference<@Nullable ReactiveRedisConnection> connection = new AtomicReference<>();
    private final AtomicReference<@Nullable CompletableFuture<ReactiveRedisConnection>> connecting =
            new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Made once, as every read and write maps its failure with it. */
    private final Function<Throwable, Throwable> closingFailure = this::closingFailure;

    private final @Nullable RedisFleetLeases fleetLeases;

    /**
     * Whether a write without expiry has started the {@link EvictionPolicyCheck}: once per backend, unless Redis gave
     * it no answer.
     */
    private final AtomicBoolean evictionPolicyAsked = new AtomicBoolean();

    /**
     * A backend on the application's connection factory, which must be reactive (Lettuce). The
     * factory stays open when the backend is closed.
     *
     * @throws io.github.litellmcache.cache.CacheConfigurationException for a key prefix that
     *     {@link io.github.litellmcache.cache.RedisConnection#requireKeyPrefix} refuses
     */
    public RedisCacheBackend(RedisConnectionFactory factory, String keyPrefix) {
        this(factory, keyPrefix, true);
    }

    /**
     * A backend on the application's connection factory, as {@link #RedisCacheBackend(RedisConnectionFactory, String)};
     * {@code fleetSingleFlight} false lets every instance call the provider on its own.
     */
    public RedisCacheBackend(RedisConnectionFactory factory, String keyPrefix, boolean fleetSingleFlight) {
        this(factory, requireKeyPrefix(keyPrefix), null, fleetSingleFlight);
    }

    private RedisCacheBackend(
            RedisConnectionFactory factory,
            String keyPrefix,
            @Nullable LettuceConnectionFactory ownedFactory,
            boolean fleetSingleFlight) {
        if (!(factory instanceof ReactiveRedisConnectionFactory reactive)) {
            throw new IllegalArgumentException(
                    "the Redis cache backend needs a reactive connection factory (Lettuce), got "
                            + factory.getClass().getName());
        }
        this.factory = factory;
        this.reactiveFactory = reactive;
        this.keyPrefix = keyPrefix;
        this.ownedFactory = ownedFactory;
        this.fleetLeases = fleetSingleFlight
                ? new RedisFleetLeases(reactive, this::connection, keyPrefix, database(factory))
                : null;
    }

    /** The database of {@code factory}'s connections; 0 when it does not tell (a cluster has no other). */
    private static int database(RedisConnectionFactory factory) {
        return (factory instanceof LettuceConnectionFactory lettuce) ? lettuce.getDatabase() : 0;
    }

    /**
     * A backend with its own Lettuce connection to {@code host:port}, closed with the backend. A
     * disconnected client rejects commands at once instead of queueing them. {@code connectTimeout}
     * bounds the handshake after the TCP connection too (and each blocking command, those of
     * {@link #clear()}): a server that accepts connections and never answers would otherwise hold a
     * connection attempt, and the factory's lock that closing needs, for Lettuce's default 60 s.
     *
     * @throws io.github.litellmcache.cache.CacheConfigurationException for a key prefix that
     *     {@link io.github.litellmcache.cache.RedisConnection#requireKeyPrefix} refuses, before connecting
     */
    public static RedisCacheBackend dedicated(
            String host, int port, @Nullable String password, String keyPrefix, Duration connectTimeout) {
        return dedicated(host, port, password, keyPrefix, connectTimeout, true);
    }

    /**
     * A backend with its own connection, as {@link #dedicated(String, int, String, String, Duration)};
     * {@code fleetSingleFlight} false lets every instance call the provider on its own.
     */
    public static RedisCacheBackend dedicated(
            String host,
            int port,
            @Nullable String password,
            String keyPrefix,
            Duration connectTimeout,
            boolean fleetSingleFlight) {
        requireKeyPrefix(keyPrefix);
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(host, port);
        if (password != null && !password.isEmpty()) {
            server.setPassword(password);
        }
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .commandTimeout(connectTimeout)
                .clientOptions(ClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .socketOptions(SocketOptions.builder()
                                .connectTimeout(connectTimeout)
                                .build())
                        .build())
                .build();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(server, client);
        factory.afterPropertiesSet();
        return new RedisCacheBackend(factory, keyPrefix, factory, fleetSingleFlight);
    }

    @Override
    public String name() {
        return "redis";
    }

    /** The dedicated connection's {@code host:port}, or the application's connection, and the properties setting it. */
    @Override
    public String location() {
        LettuceConnectionFactory dedicated = this.ownedFactory;
        return (dedicated != null)
                ? dedicated.getHostName() + ":" + dedicated.getPort() + ", litellm.cache.redis.host and port"
                : "the application's Redis connection, spring.data.redis.*";
    }

    /** The prefix of every key this backend writes. */
    public String keyPrefix() {
        return this.keyPrefix;
    }

    /** The Lettuce client under the connection factory, for connections of their own such as the near tier's. */
    public AbstractRedisClient lettuceClient() {
        if (!(this.factory instanceof LettuceConnectionFactory lettuce)) {
            throw new IllegalStateException("the Redis connection factory is not Lettuce's: "
                    + this.factory.getClass().getName());
        }
        return lettuce.getRequiredNativeClient();
    }

    /**
     * Whether the connection factory may send a read to a replica ({@code spring.data.redis.lettuce.read-from}), which
     * may not hold the newest writes yet; the default, and the settings that read a replica only when the master is
     * down, do not.
     */
    public boolean mayReadAReplica() {
        return (this.factory instanceof LettuceConnectionFactory lettuce)
                && !READS_FROM_MASTERS.contains(
                        lettuce.getClientConfiguration().getReadFrom().orElse(ReadFrom.UPSTREAM));
    }

    /**
     * Whether the connection factory has stopped before this backend closed (the cache's lifecycle closes it first,
     * but an application may replace that lifecycle, or stop the factory itself): its client has then closed every
     * connection made on it, a near tier's too.
     */
    public boolean isConnectionFactoryStopped() {
        return isStopped(this.factory);
    }

    /** The Redis key of {@code key}: {@code <key-prefix><namespace>:<key>}. */
    public String redisKey(CacheKey key) {
        return this.keyPrefix + key.qualified();
    }

    @Override
    public @Nullable FleetLeases fleetLeases() {
        return this.fleetLeases;
    }

    @Override
    public Mono<CacheEntry> getAsync(CacheKey key) {
        ByteBuffer redisKey = bytes(redisKey(key));
        return whileOpen(connection()
                .flatMap(redis -> redis.stringCommands().get(redisKey))
                .mapNotNull(this::decode));
    }

    /**
     * The entry {@code value} holds, or null for a miss: one that is not an entry, or one larger than
     * {@link CacheEntryCodec#MAX_ENVELOPE_BYTES}, which is left in place and warned about at most once a minute.
     */
    private @Nullable CacheEntry decode(ByteBuffer value) {
        if (value.remaining() > CacheEntryCodec.MAX_ENVELOPE_BYTES) {
            this.oversized.warn(() -> "A value in Redis at the key of a cache entry is larger than "
                    + PropertyValues.of(DataSize.ofBytes(CacheEntryCodec.MAX_ENVELOPE_BYTES))
                    + ", the most the Redis cache decodes; it is counted as a miss and left in place. Nothing the"
                    + " cache writes is that large: check what else writes under the key prefix '" + this.keyPrefix
                    + "'.");
            return null;
        }
        return this.codec.decode(toArray(value));
    }

    /**
     * Stores nothing for a TTL under a millisecond, as for zero: Redis keeps TTLs in whole milliseconds and
     * refuses {@code PX 0}, which would fail every such write (logged and counted as a write error).
     */
    @Override
    public Mono<Void> putAsync(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        if (isBelowAMillisecond(ttl)) {
            return Mono.empty();
        }
        return whileOpen(connection().flatMap(redis -> set(redis, key, entry, ttl)));
    }

    /**
     * One {@code SET ... PX <ttl>} per entry, as {@link #putAsync} writes it, so that each key keeps its own expiry on
     * a cluster too, all sent together on the shared connection (up to {@link #bulkBatchSize()} in flight) rather
     * than a few at a time.
     */
    @Override
    public Mono<Void> putAllAsync(Map<CacheKey, CacheEntry> entries, @Nullable Duration ttl) {
        if (entries.isEmpty() || isBelowAMillisecond(ttl)) {
            return Mono.empty();
        }
        return whileOpen(connection()
                .flatMap(redis -> Flux.fromIterable(entries.entrySet())
                        .flatMap(entry -> set(redis, entry.getKey(), entry.getValue(), ttl), BULK_BATCH)
                        .then()));
    }

    /** An {@code MGET} of {@value #BULK_BATCH} keys, and as many {@code SET}s sent together. */
    @Override
    public int bulkBatchSize() {
        return BULK_BATCH;
    }

    private static boolean isBelowAMillisecond(@Nullable Duration ttl) {
        return ttl != null && (ttl.isNegative() || ttl.toMillis() == 0);
    }

    /**
     * One {@code SET}, or none for an entry over {@link CacheEntryCodec#MAX_ENVELOPE_BYTES}, which no read would take;
     * the first of this backend without expiry starts the {@link EvictionPolicyCheck}, as only entries without expiry
     * can fill a Redis whose policy evicts only keys with one.
     */
    private Mono<Void> set(ReactiveRedisConnection redis, CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        byte[] envelope = this.codec.encode(freshFor(entry, ttl));
        if (envelope.length > CacheEntryCodec.MAX_ENVELOPE_BYTES) {
            return Mono.empty();
        }
        if (ttl == null && this.evictionPolicyAsked.compareAndSet(false, true)) {
            EvictionPolicyCheck.start(redis, () -> this.evictionPolicyAsked.set(false));
        }
        Expiration expiration = (ttl != null) ? Expiration.milliseconds(ttl.toMillis()) : Expiration.persistent();
        return redis.stringCommands()
                .set(
                        bytes(redisKey(key)),
                        ByteBuffer.wrap(envelope),
                        expiration,
                        RedisStringCommands.SetOption.upsert())
                .then();
    }

    /**
     * {@code entry} fresh until {@code ttl} from now, once connected, so never past the key's expiry, unless it has its
     * own end (one kept past its TTL): Redis removes an expired key, and tells a near tier, only when it finds it,
     * which can be long after.
     */
    private static CacheEntry freshFor(CacheEntry entry, @Nullable Duration ttl) {
        return (ttl != null && entry.freshUntil() == null)
                ? entry.withFreshUntil(Instant.now().plus(ttl))
                : entry;
    }

    /**
     * One {@code MGET} for all {@code keys}, or on a cluster one per hash slot, sent together on the
     * shared connection.
     */
    @Override
    public Mono<Map<CacheKey, CacheEntry>> getAllAsync(Collection<CacheKey> keys) {
        if (keys.isEmpty()) {
            return Mono.just(Map.of());
        }
        return whileOpen(connection().flatMap(redis -> {
            Collection<List<CacheKey>> groups = (redis instanceof ReactiveRedisClusterConnection)
                    ? keys.stream()
                            .collect(Collectors.groupingBy(key -> ClusterSlotHashUtil.calculateSlot(redisKey(key))))
                            .values()
                    : List.of(List.copyOf(keys));
            return Flux.fromIterable(groups)
                    .flatMap(group -> redis.stringCommands()
                            .mGet(group.stream()
                                    .map(key -> bytes(redisKey(key)))
                                    .toList())
                            .flatMapIterable(values -> decodeAll(group, values)))
                    .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        }));
    }

    private List<Map.Entry<CacheKey, CacheEntry>> decodeAll(List<CacheKey> keys, List<@Nullable ByteBuffer> values) {
        List<Map.Entry<CacheKey, CacheEntry>> found = new ArrayList<>();
        for (int i = 0; i < keys.size() && i < values.size(); i++) {
            ByteBuffer value = values.get(i);
            CacheEntry entry = (value != null) ? decode(value) : null;
            if (entry != null) {
                found.add(Map.entry(keys.get(i), entry));
            }
        }
        return found;
    }

    @Override
    public void clear() {
        ScanOptions ours = ScanOptions.scanOptions()
                .match(this.keyPrefix + "*")
                .count(BATCH)
                .build();
        try (RedisConnection redis = this.factory.getConnection()) {
            if (redis instanceof RedisClusterConnection cluster) {
                StreamSupport.stream(cluster.clusterGetNodes().spliterator(), false)
                        .filter(RedisClusterNode::isMaster)
                        .forEach(master -> unlinkEntries(cluster, cluster.scan(master, ours)));
            } else {
                unlinkEntries(
                        redis,
                        mayReadAReplica()
                                ? MasterScan.of(redis, ours)
                                : redis.keyCommands().scan(ours));
            }
        }
    }

    /** Unlinks the keys one by one, so that keys of different hash slots of a cluster can be given together. */
    @Override
    public void remove(Collection<CacheKey> keys) {
        whileOpen(connection()
                        .flatMapMany(redis -> Flux.fromIterable(keys)
                                .flatMap(key -> redis.keyCommands().unlink(bytes(redisKey(key)))))
                        .then())
                .block();
    }

    /**
     * Releases the fleet's leases of the calls still running first, waiting briefly, so that other instances need not
     * wait for them to expire; then closes the connection. A dedicated connection closes with its client, which closes
     * every connection of its own at once: closing this one on its own as well would race the client's shutdown, which
     * then warns that it is already closed.
     */
    @Override
    public void close() {
        if (this.closed.compareAndSet(false, true)) {
            if (this.fleetLeases != null) {
                this.fleetLeases.close();
            }
            ReactiveRedisConnection open = this.connection.getAndSet(null);
            if (this.ownedFactory != null) {
                this.ownedFactory.destroy();
            } else if (open != null) {
                open.closeLater().subscribe(null, error -> {});
            }
        }
    }

    /**
     * {@code operation}, whose failure once the backend is closed, or its connection factory stopped, is the closing's
     * ({@link CacheBackendClosedException}), not the store's: Lettuce fails the commands still in flight on a
     * connection it closes.
     */
    private <T> Mono<T> whileOpen(Mono<T> operation) {
        return operation.onErrorMap(this.closingFailure);
    }

    /** {@code error}, or the closing's when the backend is closed or its connection factory stopped. */
    private Throwable closingFailure(Throwable error) {
        return (!(error instanceof CacheBackendClosedException) && (this.closed.get() || isConnectionFactoryStopped()))
                ? new CacheBackendClosedException("Redis", error)
                : error;
    }

    /**
     * Whether {@code factory}, a {@link Lifecycle}, has stopped: its client has then closed every connection.
     */
    static boolean isStopped(Object factory) {
        return factory instanceof Lifecycle lifecycle && !lifecycle.isRunning();
    }

    /**
     * The shared reactive connection. The first one is made on a worker thread, as it blocks, by one
     * attempt that every caller waiting for it shares and none can cancel: a caller that gives up at
     * its deadline would otherwise interrupt the connect and leave the connection it was making open
     * and unused.
     */
    private Mono<ReactiveRedisConnection> connection() {
        ReactiveRedisConnection open = this.connection.get();
        if (open != null) {
            return Mono.just(open);
        }
        // The attempt's end read as a value: a caller that gave up is never handed its later failure,
        // which Reactor would log as dropped.
        return Mono.fromFuture(
                        () -> connecting()
                                .handle((connected, error) -> (error != null)
                                        ? Mono.<ReactiveRedisConnection>error(error)
                                        : Mono.just(connected)),
                        true)
                .flatMap(Function.identity());
    }

    private CompletableFuture<ReactiveRedisConnection> connecting() {
        CompletableFuture<ReactiveRedisConnection> started = new CompletableFuture<>();
        CompletableFuture<ReactiveRedisConnection> attempt = this.connecting.compareAndExchange(null, started);
        if (attempt != null) {
            return attempt;
        }
        Mono.fromCallable(this::connect)
                .subscribeOn(Schedulers.boundedElastic())
                .doFinally(signal -> this.connecting.set(null))
                .subscribe(started::complete, started::completeExceptionally);
        return started;
    }

    private synchronized ReactiveRedisConnection connect() {
        if (this.closed.get()) {
            throw new CacheBackendClosedException("Redis");
        }
        ReactiveRedisConnection open = this.connection.get();
        if (open == null) {
            open = this.reactiveFactory.getReactiveConnection();
            this.connection.set(open);
        }
        return open;
    }

    /** Unlinks the entries among {@code keys}, leaving the leases of calls that other instances wait for. */
    private void unlinkEntries(RedisConnection redis, Cursor<byte[]> keys) {
        byte[] leases = (this.keyPrefix + RedisFleetLeases.LEASES).getBytes(StandardCharsets.UTF_8);
        try (keys) {
            List<byte[]> batch = new ArrayList<>(BATCH);
            while (keys.hasNext()) {
                byte[] key = keys.next();
                if (!startsWith(key, leases)) {
                    batch.add(key);
                }
                if (batch.size() == BATCH) {
                    unlink(redis, batch);
                    batch.clear();
                }
            }
            unlink(redis, batch);
        }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Unlinks {@code keys}, in one command per hash slot on a cluster. */
    private static void unlink(RedisConnection redis, List<byte[]> keys) {
        if (keys.isEmpty()) {
            return;
        }
        if (redis instanceof RedisClusterConnection) {
            Map<Integer, List<byte[]>> bySlot =
                    keys.stream().collect(Collectors.groupingBy(ClusterSlotHashUtil::calculateSlot));
            bySlot.values().forEach(slot -> redis.keyCommands().unlink(slot.toArray(byte[][]::new)));
        } else {
            redis.keyCommands().unlink(keys.toArray(byte[][]::new));
        }
    }

    private static ByteBuffer bytes(String value) {
        return ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] array = new byte[buffer.remaining()];
        buffer.get(array);
        return array;
    }
}
