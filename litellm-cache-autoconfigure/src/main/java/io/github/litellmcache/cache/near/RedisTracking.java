package io.github.litellmcache.cache.near;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.NearCacheSettings;
import io.github.litellmcache.cache.redis.RedisCacheBackend;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Keeps a near tier coherent with Redis through server-assisted client-side caching: a dedicated RESP3 connection per
 * master (one on a single server, one per master of a cluster) runs {@code CLIENT TRACKING on BCAST PREFIX
 * <key-prefix>}, so that Redis sends an {@code invalidate} message for every key under the prefix that any client
 * writes, deletes, or that expires or is evicted (a null key list, after a flush, empties the tier). The tier is used
 * only while every connection tracks: a connection that drops suspends it (emptied, neither read nor filled); Lettuce
 * reconnects, tracking is asked for again, and the tier resumes empty. A network that hangs closes nothing, and
 * loses invalidations: each connection is sent a {@code PING} every {@link #HEARTBEAT}, and one unanswered at the
 * next heartbeat, or failed, suspends the tier too, until a {@code PING} is answered and tracking is asked for again.
 * The connections are made in the background, on the client of the Redis backend's connection factory, and retried
 * until they succeed.
 */
public final class RedisTracking implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(RedisTracking.class);

    /** The name of the tracking connections in {@code CLIENT LIST}. */
    public static final String CLIENT_NAME = "litellm-cache-near";

    private static final Duration RETRY = Duration.ofMillis(200);

    private static final Duration CONNECT_RETRY = Duration.ofSeconds(1);

    /** How often each tracking connection is pinged, and how long its answer may take. */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private final Supplier<AbstractRedisClient> client;
    private final String keyPrefix;
    private final NearEntries entries;
    private final List<Tracked> connections = new ArrayList<>();
    private @Nullable RedisClient nodeClient;
    private final Disposable.Swap heartbeat = Disposables.swap();
    private volatile boolean closed;
    private final AtomicBoolean refusalWarned = new AtomicBoolean();

    private RedisTracking(Supplier<AbstractRedisClient> client, String keyPrefix, NearEntries entries) {
        this.client = client;
        this.keyPrefix = keyPrefix;
        this.entries = entries;
        Mono.fromRunnable(this::connect)
                .subscribeOn(Schedulers.boundedElastic())
                .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, CONNECT_RETRY)
                        .filter(error -> !this.closed)
                        .doBeforeRetry(retry -> logger.debug(
                                "The near tier's tracking connection failed; retrying: " + retry.failure())))
                .subscribe(null, error -> {});
    }

    /**
     * {@code remote} with a near tier kept coherent by Redis's invalidation messages, or {@code remote} itself when
     * {@code near} is not enabled.
     */
    public static CacheBackend over(RedisCacheBackend remote, NearCacheSettings near) {
        if (!near.enabled()) {
            return remote;
        }
        return new NearCacheBackend(
                remote,
                near.maxMemory(),
                null,
                entries -> new RedisTracking(remote::lettuceClient, remote.keyPrefix(), entries));
    }

    /**
     * Makes the connections without holding the lock, as a server that accepts connections and never answers holds
     * each for the client's command timeout, which {@link #close()} must not wait for; a close meanwhile closes them.
     */
    private void connect() {
        if (this.closed) {
            return;
        }
        AbstractRedisClient lettuce = this.client.get();
        List<Tracked> made = new ArrayList<>();
        RedisClient nodes = null;
        try {
            if (lettuce instanceof RedisClusterClient cluster) {
                nodes = RedisClient.create(cluster.getResources());
                for (RedisClusterNode node : cluster.getPartitions()) {
                    if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                        made.add(new Tracked(nodes.connect(StringCodec.UTF8, node.getUri())));
                    }
                }
            } else if (lettuce instanceof RedisClient redis) {
                made.add(new Tracked(redis.connect(StringCodec.UTF8)));
            } else {
                throw new IllegalStateException(
                        "unsupported Lettuce client " + lettuce.getClass().getName());
            }
        } catch (RuntimeException ex) {
            closeAll(made, nodes);
            throw ex;
        }
        adopt(made, nodes);
    }

    private synchronized void adopt(List<Tracked> made, @Nullable RedisClient nodes) {
        if (this.closed) {
            closeAll(made, nodes);
            return;
        }
        this.connections.addAll(made);
        this.nodeClient = nodes;
        made.forEach(Tracked::track);
        List<Tracked> beating = List.copyOf(made);
        this.heartbeat.update(
                Flux.interval(HEARTBEAT).subscribe(tick -> beating.forEach(Tracked::heartbeat), error -> {}));
    }

    private synchronized void tracking(Tracked tracked) {
        tracked.tracking = true;
        if (!this.closed && this.connections.stream().allMatch(connection -> connection.tracking)) {
            this.entries.resume();
        }
    }

    /** Warns of the first failure of {@code CLIENT TRACKING}, which may last (an ACL, a Redis without it). */
    private void refused(Throwable error) {
        Throwable reason =
                (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
        if (this.refusalWarned.compareAndSet(false, true)) {
            logger.warn("CLIENT TRACKING failed, and the near tier is off until it succeeds (asked again every "
                    + RETRY.toMillis() + " ms; later failures are logged at debug): " + reason.getMessage());
        } else {
            logger.debug("CLIENT TRACKING failed; asking again: " + reason.getMessage());
        }
    }

    private void invalidated(PushMessage message) {
        List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
        Object keys = (content.size() > 1) ? content.get(1) : null;
        if (keys instanceof List<?> list) {
            for (Object key : list) {
                if (key instanceof String redisKey && redisKey.startsWith(this.keyPrefix)) {
                    this.entries.invalidate(redisKey.substring(this.keyPrefix.length()));
                }
            }
        } else {
            this.entries.invalidateAll();
        }
    }

    @Override
    public synchronized void close() {
        this.closed = true;
        this.heartbeat.dispose();
        this.entries.suspend();
        closeAll(this.connections, this.nodeClient);
        this.connections.clear();
        this.nodeClient = null;
    }

    private static void closeAll(List<Tracked> connections, @Nullable RedisClient nodes) {
        connections.forEach(tracked -> tracked.connection.closeAsync());
        if (nodes != null) {
            nodes.shutdownAsync(0, 2, TimeUnit.SECONDS);
        }
    }

    /** One tracking connection, told of its invalidations and of its drops and reconnections. */
    private final class Tracked implements PushListener, RedisConnectionStateListener {

        private final StatefulRedisConnection<String, String> connection;

        private volatile boolean tracking;

        private volatile boolean hung;

        private volatile CompletableFuture<?> ping = CompletableFuture.completedFuture(null);

        Tracked(StatefulRedisConnection<String, String> connection) {
            this.connection = connection;
            connection.addListener((PushListener) this);
            ((RedisChannelHandler<?, ?>) connection).addListener((RedisConnectionStateListener) this);
        }

        /**
         * Asks for tracking, switched off first: Redis refuses a prefix that the connection already tracks, as after a
         * hang or a {@code CLIENT TRACKING} that timed out here but succeeded there.
         */
        void track() {
            if (RedisTracking.this.closed) {
                return;
            }
            if (this.connection instanceof StatefulRedisConnectionImpl<?, ?> impl
                    && impl.getConnectionState().getNegotiatedProtocolVersion() == ProtocolVersion.RESP2) {
                logger.warn(
                        "The near tier stays off: its Redis connection speaks RESP2, and invalidation messages need"
                                + " RESP3 (Redis 6 or later, Lettuce's default protocol); do not force RESP2 in the client options");
                return;
            }
            this.connection
                    .async()
                    .clientSetname(CLIENT_NAME)
                    .thenCompose(named -> this.connection.async().clientTracking(TrackingArgs.Builder.enabled(false)))
                    .thenCompose(off -> this.connection
                            .async()
                            .clientTracking(
                                    TrackingArgs.Builder.enabled().bcast().prefixes(RedisTracking.this.keyPrefix)))
                    .whenComplete((ok, error) -> {
                        if (error == null) {
                            tracking(this);
                        } else {
                            refused(error);
                            CompletableFuture.delayedExecutor(RETRY.toMillis(), TimeUnit.MILLISECONDS)
                                    .execute(this::trackUnlessTracking);
                        }
                    });
        }

        private void trackUnlessTracking() {
            if (!this.tracking) {
                track();
            }
        }

        /** Pings the connection, unless the last ping is unanswered: then the connection hangs. */
        void heartbeat() {
            if (!this.ping.isDone()) {
                hangs();
                return;
            }
            this.ping = this.connection.async().ping().toCompletableFuture().whenComplete((pong, error) -> {
                if (error != null) {
                    hangs();
                } else if (this.hung) {
                    this.hung = false;
                    track();
                }
            });
        }

        /** Suspends the tier, as invalidations may be lost, until a ping is answered and tracking asked for again. */
        private void hangs() {
            this.hung = true;
            this.tracking = false;
            RedisTracking.this.entries.suspend();
        }

        @Override
        public void onPushMessage(PushMessage message) {
            if ("invalidate".equals(message.getType())) {
                invalidated(message);
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            this.tracking = false;
            RedisTracking.this.entries.suspend();
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            track();
        }
    }
}
