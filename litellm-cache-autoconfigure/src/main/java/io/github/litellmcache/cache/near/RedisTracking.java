package io.github.litellmcache.cache.near;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.NearCacheSettings;
import io.github.litellmcache.cache.redis.RedisCacheBackend;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>On a cluster the set of masters follows the topology, as Lettuce's client sees it, through its redirections and
 * topology-change events; the tier is suspended until every master's connection tracks ({@code ClusterMasters}).
 */
public final class RedisTracking implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(RedisTracking.class);

    /** The name of the tracking connections in {@code CLIENT LIST}. */
    public static final String CLIENT_NAME = "litellm-cache-near";

    private static final Duration CONNECT_RETRY = Duration.ofSeconds(1);

    /** How often each tracking connection is pinged, and how long its answer may take. */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private final RedisCacheBackend remote;
    private final NearEntries entries;
    private final Map<String, TrackingConnection> connections = new LinkedHashMap<>();
    private final TrackingConnection.Owner owner = new ConnectionOwner();
    private volatile @Nullable ClusterMasters cluster;
    private final Disposable.Swap heartbeat = Disposables.swap();
    private volatile boolean closed;
    private final AtomicBoolean refusalWarned = new AtomicBoolean();
    private final AtomicBoolean cannotTrackWarned = new AtomicBoolean();

    private RedisTracking(RedisCacheBackend remote, NearEntries entries) {
        this.remote = remote;
        this.entries = entries;
        Mono.fromRunnable(this::connect)
                .subscribeOn(Schedulers.boundedElastic())
                .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, CONNECT_RETRY)
                        .filter(error -> !this.closed && !(error instanceof IllegalStateException))
                        .doBeforeRetry(retry -> logger.debug(
                                "The near tier's tracking connection failed; retrying: " + retry.failure())))
                .subscribe(null, this::cannotConnect);
    }

    /**
     * Warns that the tier stays off when its connection cannot be made on this client at all, rather than failing for
     * now: Lettuce's client of a static master/replica setup has no server of its own to connect to. Nothing is said
     * once the tier is closed, as the client may be shut down with it.
     */
    private void cannotConnect(Throwable error) {
        if (error instanceof IllegalStateException && !this.closed) {
            logger.warn("The near tier is off: its tracking connection cannot be made on the application's Redis"
                    + " client (" + error.getMessage() + "), as with a static master/replica setup"
                    + " (spring.data.redis.masterreplica.nodes). Give the cache a connection of its own"
                    + " (litellm.cache.redis.host), or set litellm.cache.near.enabled=false.");
        }
    }

    /**
     * {@code remote} with a near tier kept coherent by Redis's invalidation messages, or {@code remote} itself when
     * {@code near} is not enabled or its connection may read a replica (a master that is down, when the preferred
     * settings read a replica, has its tracking connection down too, which suspends the tier).
     */
    public static CacheBackend over(RedisCacheBackend remote, NearCacheSettings near) {
        if (!near.enabled()) {
            return remote;
        }
        if (remote.mayReadAReplica()) {
            logger.warn("litellm.cache.near.enabled is true, but spring.data.redis.lettuce.read-from lets the"
                    + " application's Redis connection read from a replica: a near copy filled from a replica that"
                    + " has not yet seen a write or a removal would outlive its invalidation, so the near tier is off."
                    + " Read from the master (read-from upstream, or unset), or give the cache a connection of its"
                    + " own (litellm.cache.redis.host).");
            return remote;
        }
        return new NearCacheBackend(remote, near.maxMemory(), null, entries -> new RedisTracking(remote, entries));
    }

    /**
     * Makes the connections without holding the lock, as a server that accepts connections and never answers holds
     * each for the client's command timeout, which {@link #close()} must not wait for; a close meanwhile closes them.
     */
    private void connect() {
        if (this.closed) {
            return;
        }
        AbstractRedisClient lettuce = this.remote.lettuceClient();
        if (lettuce instanceof RedisClusterClient clusterClient) {
            ClusterMasters masters = new ClusterMasters(clusterClient, this, this.entries);
            start(masters.connect(), masters);
        } else if (lettuce instanceof RedisClient redis) {
            start(List.of(connection("", redis.connect(StringCodec.UTF8))), null);
        } else {
            throw new IllegalStateException(
                    "unsupported Lettuce client " + lettuce.getClass().getName());
        }
    }

    /** A tracking connection to the master at {@code address} (empty on a single server), not yet asked for tracking. */
    TrackingConnection connection(String address, StatefulRedisConnection<String, String> connection) {
        return new TrackingConnection(address, connection, this.remote.keyPrefix(), this.entries, this.owner);
    }

    private synchronized void start(List<TrackingConnection> made, @Nullable ClusterMasters cluster) {
        if (this.closed) {
            closeAll(made, cluster);
            return;
        }
        this.cluster = cluster;
        adopt(made);
        this.heartbeat.update(Flux.interval(HEARTBEAT).subscribe(tick -> heartbeat(), error -> {}));
        if (cluster != null) {
            cluster.start();
        }
    }

    /** Adds connections and asks them for tracking; the tier is suspended until they track. */
    synchronized void adopt(List<TrackingConnection> made) {
        for (TrackingConnection connection : made) {
            if (this.closed || this.connections.containsKey(connection.address())) {
                connection.remove();
            } else {
                this.entries.suspend();
                this.connections.put(connection.address(), connection);
                connection.track();
            }
        }
    }

    private void heartbeat() {
        List<TrackingConnection> beating;
        synchronized (this) {
            beating = List.copyOf(this.connections.values());
        }
        beating.forEach(TrackingConnection::heartbeat);
        ClusterMasters cluster = this.cluster;
        if (cluster != null
                && (cluster.redirectedToUntracked() || beating.stream().anyMatch(TrackingConnection::isDown))) {
            cluster.follow(true);
        }
    }

    boolean isClosed() {
        return this.closed;
    }

    synchronized boolean isTracked(String address) {
        return this.connections.containsKey(address);
    }

    /** Closes the connections that do not track, of nodes not in {@code masters}; resumes the tier if all track. */
    synchronized void removeUntrackingBut(Set<String> masters) {
        this.connections.values().removeIf(connection -> {
            boolean gone = !connection.isTracking() && !masters.contains(connection.address());
            if (gone) {
                connection.remove();
            }
            return gone;
        });
        resumeIfAllTracking();
    }

    /**
     * Resumes the tier if every connection tracks; a connection that drops meanwhile (its listener runs without this
     * lock) suspends it after, or keeps it from resuming.
     */
    private synchronized void resumeIfAllTracking() {
        long suspensions = this.entries.suspensions();
        if (!this.closed && allTracking()) {
            this.entries.resume(suspensions);
        }
    }

    private synchronized boolean allTracking() {
        ClusterMasters cluster = this.cluster;
        return (cluster == null || !cluster.redirectedToUntracked())
                && this.connections.values().stream().allMatch(TrackingConnection::isTracking);
    }

    /**
     * Stops tracking and closes the connections, unless the client they were made on has closed them already (the
     * application's connection factory stopped first), as closing them again makes Lettuce warn.
     */
    @Override
    public synchronized void close() {
        this.closed = true;
        this.heartbeat.dispose();
        this.entries.suspend();
        if (this.remote.isConnectionFactoryStopped()) {
            this.connections.values().forEach(TrackingConnection::forget);
        }
        closeAll(List.copyOf(this.connections.values()), this.cluster);
        this.connections.clear();
        this.cluster = null;
    }

    static void closeAll(List<TrackingConnection> connections, @Nullable ClusterMasters cluster) {
        connections.forEach(TrackingConnection::remove);
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Counts a connection as tracking when it is granted, and warns of tracking refused. */
    private final class ConnectionOwner implements TrackingConnection.Owner {

        @Override
        public boolean isClosed() {
            return RedisTracking.this.closed;
        }

        @Override
        public void tracking(TrackingConnection connection) {
            synchronized (RedisTracking.this) {
                connection.markTracking();
                resumeIfAllTracking();
            }
        }

        /** Warns of the first failure of {@code CLIENT TRACKING}, which may last (an ACL, a Redis without it). */
        @Override
        public void refused(Throwable error) {
            Throwable reason =
                    (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
            if (RedisTracking.this.refusalWarned.compareAndSet(false, true)) {
                logger.warn("CLIENT TRACKING failed, and the near tier is off until it succeeds (asked again every "
                        + TrackingConnection.RETRY.toMillis() + " ms; later failures are logged at debug): "
                        + reason.getMessage());
            } else {
                logger.debug("CLIENT TRACKING failed; asking again: " + reason.getMessage());
            }
        }

        /** Warns of the first connection that cannot track, as it stays so at each reconnection; then logs at debug. */
        @Override
        public void cannotTrack(String reason) {
            if (RedisTracking.this.cannotTrackWarned.compareAndSet(false, true)) {
                logger.warn(reason);
            } else {
                logger.debug(reason);
            }
        }
    }
}
