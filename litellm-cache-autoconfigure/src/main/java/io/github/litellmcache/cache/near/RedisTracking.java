package io.github.litellmcache.cache.near;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.NearCacheSettings;
import io.github.litellmcache.cache.redis.RedisCacheBackend;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.event.RedirectionEventSupport;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.Event;
import io.lettuce.core.protocol.ProtocolVersion;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 *
 * <p>On a cluster the set of masters follows the topology, as Lettuce's client sees it: a {@code MOVED} or {@code ASK}
 * redirection to a node without a tracking connection suspends the tier at once and refreshes the client's partitions;
 * a {@link ClusterTopologyChangedEvent} (from any refresh of the client's, adaptive, periodic or this class's own) gets
 * every master a tracking connection, the tier suspended until each tracks. A redirection target that the refreshed
 * partitions do not list as a master is let go (another cluster's, on shared client resources): the client does not
 * connect to a node outside its partitions (Lettuce's default {@code validateClusterNodeMembership}). While a connection does not track, the partitions are refreshed at every
 * heartbeat, so that a master that failed, once no longer a master, has its connection closed and the tier resumes.
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
    private final Map<String, Tracked> connections = new LinkedHashMap<>();
    private final Set<String> redirectedToUntracked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger followRequests = new AtomicInteger();
    private volatile boolean refreshWanted;
    private @Nullable RedisClient nodeClient;
    private volatile @Nullable RedisClusterClient cluster;
    private final Disposable.Swap heartbeat = Disposables.swap();
    private final Disposable.Swap topologyEvents = Disposables.swap();
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
                for (Map.Entry<String, RedisURI> master : masters(cluster).entrySet()) {
                    made.add(new Tracked(master.getKey(), nodes.connect(StringCodec.UTF8, master.getValue())));
                }
            } else if (lettuce instanceof RedisClient redis) {
                made.add(new Tracked("", redis.connect(StringCodec.UTF8)));
            } else {
                throw new IllegalStateException(
                        "unsupported Lettuce client " + lettuce.getClass().getName());
            }
        } catch (RuntimeException ex) {
            closeAll(made, nodes);
            throw ex;
        }
        start(made, nodes, (lettuce instanceof RedisClusterClient cluster) ? cluster : null);
    }

    private synchronized void start(
            List<Tracked> made, @Nullable RedisClient nodes, @Nullable RedisClusterClient cluster) {
        if (this.closed) {
            closeAll(made, nodes);
            return;
        }
        this.nodeClient = nodes;
        this.cluster = cluster;
        adopt(made);
        this.heartbeat.update(Flux.interval(HEARTBEAT).subscribe(tick -> heartbeat(), error -> {}));
        if (cluster != null) {
            this.topologyEvents.update(
                    cluster.getResources().eventBus().get().subscribe(this::topologyEvent, error -> {}));
            follow(false);
        }
    }

    /** Adds connections and asks them for tracking; the tier is suspended until they track. */
    private synchronized void adopt(List<Tracked> made) {
        for (Tracked tracked : made) {
            if (this.closed || this.connections.containsKey(tracked.address)) {
                tracked.remove();
            } else {
                this.entries.suspend();
                this.connections.put(tracked.address, tracked);
                tracked.track();
            }
        }
    }

    private void heartbeat() {
        List<Tracked> beating;
        synchronized (this) {
            beating = List.copyOf(this.connections.values());
        }
        beating.forEach(Tracked::heartbeat);
        if (this.cluster != null && !allTracking()) {
            follow(true);
        }
    }

    private synchronized void tracking(Tracked tracked) {
        tracked.tracking = true;
        resumeIfAllTracking();
    }

    private synchronized void resumeIfAllTracking() {
        if (!this.closed && allTracking()) {
            this.entries.resume();
        }
    }

    private synchronized boolean allTracking() {
        return this.redirectedToUntracked.isEmpty()
                && this.connections.values().stream().allMatch(connection -> connection.tracking);
    }

    /**
     * Told of the cluster client's events on Lettuce's event thread: a redirection to a node without a tracking
     * connection suspends the tier at once, as entries read from that node would miss its invalidations.
     */
    private void topologyEvent(Event event) {
        if (event instanceof RedirectionEventSupport redirection) {
            String message = redirection.getMessage();
            String target = message.substring(message.lastIndexOf(' ') + 1);
            synchronized (this) {
                if (this.connections.containsKey(target)) {
                    return;
                }
                this.redirectedToUntracked.add(target);
                this.entries.suspend();
            }
            follow(true);
        } else if (event instanceof ClusterTopologyChangedEvent) {
            follow(false);
        }
    }

    /** Follows the cluster's masters in the background, one pass at a time, a request made meanwhile making one more. */
    private void follow(boolean refresh) {
        if (refresh) {
            this.refreshWanted = true;
        }
        if (this.followRequests.getAndIncrement() == 0) {
            Schedulers.boundedElastic().schedule(this::drainFollowRequests);
        }
    }

    private void drainFollowRequests() {
        int requests = this.followRequests.get();
        do {
            boolean refresh = this.refreshWanted;
            this.refreshWanted = false;
            try {
                followMasters(refresh);
            } catch (RuntimeException ex) {
                logger.debug("The near tier could not follow the cluster's masters; trying again: " + ex);
            }
            requests = this.followRequests.addAndGet(-requests);
        } while (requests != 0);
    }

    /**
     * Gives every master a tracking connection, made without holding the lock (see {@link #connect()}); closes those of
     * nodes no longer masters once they stop tracking; resumes the tier when all track and no redirection target of a
     * master is left untracked.
     */
    private void followMasters(boolean refresh) {
        RedisClusterClient cluster = this.cluster;
        RedisClient nodes = this.nodeClient;
        if (cluster == null || nodes == null || this.closed) {
            return;
        }
        if (refresh) {
            cluster.refreshPartitions();
        }
        Map<String, RedisURI> masters = masters(cluster);
        List<Tracked> made = new ArrayList<>();
        try {
            for (Map.Entry<String, RedisURI> master : masters.entrySet()) {
                if (!isTracked(master.getKey())) {
                    made.add(new Tracked(master.getKey(), nodes.connect(StringCodec.UTF8, master.getValue())));
                }
            }
        } finally {
            adopt(made);
            forgetAllBut(masters.keySet());
        }
    }

    private synchronized boolean isTracked(String address) {
        return this.connections.containsKey(address);
    }

    private synchronized void forgetAllBut(Set<String> masters) {
        this.redirectedToUntracked.removeIf(
                target -> this.connections.containsKey(target) || !masters.contains(target));
        this.connections.values().removeIf(tracked -> {
            boolean gone = !tracked.tracking && !masters.contains(tracked.address);
            if (gone) {
                tracked.remove();
            }
            return gone;
        });
        resumeIfAllTracking();
    }

    /** The masters that the client's partitions know and do not hold failed, by {@code host:port}. */
    private static Map<String, RedisURI> masters(RedisClusterClient cluster) {
        Map<String, RedisURI> masters = new LinkedHashMap<>();
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (node.is(NodeFlag.UPSTREAM) && !node.is(NodeFlag.FAIL) && !node.is(NodeFlag.NOADDR)) {
                masters.put(node.getUri().getHost() + ":" + node.getUri().getPort(), node.getUri());
            }
        }
        return masters;
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
        this.topologyEvents.dispose();
        this.entries.suspend();
        closeAll(List.copyOf(this.connections.values()), this.nodeClient);
        this.connections.clear();
        this.nodeClient = null;
        this.cluster = null;
    }

    private static void closeAll(List<Tracked> connections, @Nullable RedisClient nodes) {
        connections.forEach(Tracked::remove);
        if (nodes != null) {
            nodes.shutdownAsync(0, 2, TimeUnit.SECONDS);
        }
    }

    /** One tracking connection, told of its invalidations and of its drops and reconnections. */
    private final class Tracked implements PushListener, RedisConnectionStateListener {

        /** {@code host:port} of the master, empty on a single server. */
        private final String address;

        private final StatefulRedisConnection<String, String> connection;

        private volatile boolean tracking;

        private volatile boolean removed;

        private volatile boolean hung;

        private volatile CompletableFuture<?> ping = CompletableFuture.completedFuture(null);

        Tracked(String address, StatefulRedisConnection<String, String> connection) {
            this.address = address;
            this.connection = connection;
            connection.addListener((PushListener) this);
            ((RedisChannelHandler<?, ?>) connection).addListener((RedisConnectionStateListener) this);
        }

        /**
         * Asks for tracking, switched off first: Redis refuses a prefix that the connection already tracks, as after a
         * hang or a {@code CLIENT TRACKING} that timed out here but succeeded there.
         */
        void track() {
            if (RedisTracking.this.closed || this.removed) {
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
                        if (this.removed) {
                            return;
                        }
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
            if (this.removed) {
                return;
            }
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

        /** Closes the connection, which no longer counts for the tier. */
        void remove() {
            this.removed = true;
            this.connection.closeAsync();
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (this.removed) {
                return;
            }
            this.tracking = false;
            RedisTracking.this.entries.suspend();
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            track();
        }
    }
}
