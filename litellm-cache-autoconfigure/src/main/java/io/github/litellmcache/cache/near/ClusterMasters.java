package io.github.litellmcache.cache.near;

import io.github.litellmcache.cache.BackgroundWork;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.event.RedirectionEventSupport;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * Gives every master of a cluster a tracking connection of its {@link RedisTracking}, following the topology as
 * Lettuce's client sees it: a {@code MOVED} or {@code ASK} redirection to a node without a tracking connection suspends
 * the tier at once and refreshes the client's partitions; a {@link ClusterTopologyChangedEvent} (from any refresh of the
 * client's, adaptive, periodic or this class's own) gets every master a tracking connection, the tier suspended until
 * each tracks. A redirection target that the refreshed partitions do not list as a master is let go (another
 * cluster's, on shared client resources): the client does not connect to a node outside its partitions (Lettuce's
 * default {@code validateClusterNodeMembership}). While a connection is dropped or hangs, the partitions are refreshed
 * at every heartbeat, so that a master that failed, once no longer a master, has its connection closed and the tier
 * resumes.
 */
final class ClusterMasters {

    /** Logged under {@link RedisTracking}, the class whose logging users configure. */
    private static final Log logger = LogFactory.getLog(RedisTracking.class);

    private final RedisClusterClient cluster;

    /** Connects to one master by its address, on the cluster client's resources. */
    private final RedisClient nodes;

    /** The owner, whose monitor guards its connections and {@link #redirectedToUntracked} together. */
    private final RedisTracking tracking;

    private final NearEntries entries;

    private final Set<String> redirectedToUntracked = ConcurrentHashMap.newKeySet();

    private final AtomicInteger followRequests = new AtomicInteger();

    private volatile boolean refreshWanted;

    private final Disposable.Swap topologyEvents = Disposables.swap();

    ClusterMasters(RedisClusterClient cluster, RedisTracking tracking, NearEntries entries) {
        this.cluster = cluster;
        this.nodes = RedisClient.create(cluster.getResources());
        this.tracking = tracking;
        this.entries = entries;
    }

    /** A tracking connection to every master, not yet asked for tracking; on a failure, closes what it made and this. */
    List<TrackingConnection> connect() {
        List<TrackingConnection> made = new ArrayList<>();
        try {
            for (Map.Entry<String, RedisURI> master : masters().entrySet()) {
                made.add(connect(master));
            }
            return made;
        } catch (RuntimeException ex) {
            RedisTracking.closeAll(made, this);
            throw ex;
        }
    }

    private TrackingConnection connect(Map.Entry<String, RedisURI> master) {
        return this.tracking.connection(master.getKey(), this.nodes.connect(StringCodec.UTF8, master.getValue()));
    }

    /** Listens to the cluster client's events and follows its masters once. */
    void start() {
        this.topologyEvents.update(
                this.cluster.getResources().eventBus().get().subscribe(this::topologyEvent, error -> {}));
        follow(false);
    }

    /** Whether a redirection went to a node that has no tracking connection yet; guarded by the owner's monitor. */
    boolean redirectedToUntracked() {
        return !this.redirectedToUntracked.isEmpty();
    }

    /**
     * Told of the cluster client's events on Lettuce's event thread: a redirection to a node without a tracking
     * connection suspends the tier at once, as entries read from that node would miss its invalidations.
     */
    private void topologyEvent(Event event) {
        if (event instanceof RedirectionEventSupport redirection) {
            String message = redirection.getMessage();
            String target = message.substring(message.lastIndexOf(' ') + 1);
            synchronized (this.tracking) {
                if (this.tracking.isTracked(target)) {
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
    void follow(boolean refresh) {
        if (refresh) {
            this.refreshWanted = true;
        }
        if (this.followRequests.getAndIncrement() == 0) {
            BackgroundWork.run("litellm-cache-near-cluster-masters", this::drainFollowRequests);
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
     * Gives every master a tracking connection, made without holding the owner's lock (for the reason given on
     * {@code RedisTracking.connect()}); closes those of nodes no longer masters once they stop tracking; resumes the
     * tier when all track and no redirection target of a master is left untracked.
     */
    private void followMasters(boolean refresh) {
        if (this.tracking.isClosed()) {
            return;
        }
        if (refresh) {
            this.cluster.refreshPartitions();
        }
        Map<String, RedisURI> masters = masters();
        List<TrackingConnection> made = new ArrayList<>();
        try {
            for (Map.Entry<String, RedisURI> master : masters.entrySet()) {
                if (!this.tracking.isTracked(master.getKey())) {
                    made.add(connect(master));
                }
            }
        } finally {
            this.tracking.adopt(made);
            forgetAllBut(masters.keySet());
        }
    }

    private void forgetAllBut(Set<String> masters) {
        synchronized (this.tracking) {
            this.redirectedToUntracked.removeIf(target -> this.tracking.isTracked(target) || !masters.contains(target));
            this.tracking.removeUntrackingBut(masters);
        }
    }

    /** The masters that the client's partitions know and do not hold failed, by {@code host:port}. */
    private Map<String, RedisURI> masters() {
        Map<String, RedisURI> masters = new LinkedHashMap<>();
        for (RedisClusterNode node : this.cluster.getPartitions()) {
            if (node.is(NodeFlag.UPSTREAM) && !node.is(NodeFlag.FAIL) && !node.is(NodeFlag.NOADDR)) {
                masters.put(node.getUri().getHost() + ":" + node.getUri().getPort(), node.getUri());
            }
        }
        return masters;
    }

    /** Stops listening to the cluster client's events and shuts the client of the masters' connections down. */
    void close() {
        this.topologyEvents.dispose();
        this.nodes.shutdownAsync(0, 2, TimeUnit.SECONDS);
    }
}
