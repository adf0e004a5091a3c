package io.github.litellmcache.testsupport;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A Redis Cluster of three masters without replicas, made of {@link RedisServer} processes: the
 * slots are assigned and the nodes introduced with Lettuce (no redis-cli needed), then it waits
 * for {@code cluster_state:ok}. A test can change its topology as an operator would: {@link #addMaster()} and
 * {@link #moveSlot(int, int)}, a resharding; {@link #addReplica(int)} and {@link #kill(int)}, a failover.
 */
public final class RedisCluster implements AutoCloseable {

    private static final int SLOTS = 16384;

    private static final String[] CLUSTER_ARGUMENTS = {"--cluster-enabled", "yes", "--cluster-node-timeout", "2000"};

    private final List<RedisServer> nodes = new ArrayList<>();

    private final List<RedisServer> stopped = new ArrayList<>();

    private final String[] nodeArguments;

    private RedisCluster(String[] nodeArguments) {
        this.nodeArguments = nodeArguments;
    }

    /** A cluster whose nodes, those added later included, also get {@code arguments} (an ACL user, ...). */
    public static RedisCluster start(String... arguments) {
        String[] nodeArguments = new String[CLUSTER_ARGUMENTS.length + arguments.length];
        System.arraycopy(CLUSTER_ARGUMENTS, 0, nodeArguments, 0, CLUSTER_ARGUMENTS.length);
        System.arraycopy(arguments, 0, nodeArguments, CLUSTER_ARGUMENTS.length, arguments.length);
        RedisCluster cluster = new RedisCluster(nodeArguments);
        for (int i = 0; i < 3; i++) {
            cluster.nodes.add(RedisServer.launchClusterNode(nodeArguments));
        }
        cluster.form();
        return cluster;
    }

    /** {@code 127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}, the value of {@code spring.data.redis.cluster.nodes}. */
    public String nodes() {
        return this.nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    /** {@code 127.0.0.1:port} of every master, replicas left out. */
    public List<String> masters() {
        return this.nodes.stream()
                .filter(RedisCluster::isMaster)
                .map(node -> "127.0.0.1:" + node.port())
                .toList();
    }

    /** What Redis refused on every node ({@code ACL LOG}), newest first on each. */
    public List<Map<String, Object>> aclLog() {
        return this.nodes.stream()
                .flatMap(node -> node.admin().aclLog().stream())
                .toList();
    }

    /** Empties every master ({@code FLUSHALL} on each). */
    public void flushAll() {
        this.nodes.stream()
                .filter(RedisCluster::isMaster)
                .forEach(node -> node.admin().flushall());
    }

    private static boolean isMaster(RedisServer node) {
        return "master".equals(node.admin().role().get(0));
    }

    /**
     * Starts another master, without slots, introduces it to the others and waits until all know it and the cluster is
     * ready; gives its port.
     */
    public int addMaster() {
        RedisServer added = RedisServer.launchClusterNode(this.nodeArguments);
        this.nodes.add(added);
        added.admin().clusterMeet("127.0.0.1", this.nodes.get(0).port());
        awaitEveryNode("know the added node", node -> knownNodes(node) == this.nodes.size() && isReady(node));
        return added.port();
    }

    /**
     * Adds a node ({@link #addMaster()}) as a replica of the master on {@code port}, in sync and known as its replica
     * by every node (so that a client reading the topology from any of them finds it); gives its port.
     */
    public int addReplica(int port) {
        String masterId = node(port).admin().clusterMyId();
        RedisServer replica = node(addMaster());
        String replicaId = replica.admin().clusterMyId();
        replica.admin().clusterReplicate(masterId);
        awaitEveryNode(
                "see the replica in sync",
                node -> masterId.equals(
                                ClusterPartitionParser.parse(node.admin().clusterNodes())
                                        .getPartitionByNodeId(replicaId)
                                        .getSlaveOf())
                        && (node != replica
                                || replica.admin().info("replication").contains("master_link_status:up")));
        return replica.port();
    }

    /** The port of the master that owns {@code slot}, as the first node sees it. */
    public int ownerOf(int slot) {
        return owner(this.nodes.get(0), slot).getUri().getPort();
    }

    /**
     * Stops the node on {@code port}, as a crash would, and waits until the nodes left see the cluster ready again: the
     * slots of a master need a replica that takes over ({@link #addReplica(int)}).
     */
    public void kill(int port) {
        RedisServer killed = node(port);
        killed.stop();
        this.nodes.remove(killed);
        this.stopped.add(killed);
        awaitEveryNode("take over the slots of the killed node", RedisCluster::isReady);
    }

    /**
     * Moves {@code slot} and its keys to the master on {@code port}, as {@code redis-cli --cluster reshard} does:
     * {@link #migrateSlot(int, int)}, then {@code CLUSTER SETSLOT ... NODE} on the new owner, the old one and every
     * master; waits until every node agrees on the new owner.
     */
    public void moveSlot(int slot, int port) {
        RedisServer source = node(owner(node(port), slot).getUri().getPort());
        migrateSlot(slot, port);
        String targetId = node(port).admin().clusterMyId();
        node(port).admin().clusterSetSlotNode(slot, targetId);
        source.admin().clusterSetSlotNode(slot, targetId);
        this.nodes.stream()
                .filter(RedisCluster::isMaster)
                .forEach(node -> node.admin().clusterSetSlotNode(slot, targetId));
        awaitEveryNode(
                "agree on the owner of slot " + slot,
                node -> owner(node, slot).getUri().getPort() == port);
    }

    /**
     * The first half of a resharding of {@code slot} to the master on {@code port}: importing there, migrating on its
     * owner, and {@code MIGRATE} of its keys. Its owner then answers a command on one of them {@code -ASK}, redirecting
     * it to the master on {@code port}, until {@link #moveSlot(int, int)} ends the move.
     */
    public void migrateSlot(int slot, int port) {
        RedisCommands<String, String> target = node(port).admin();
        RedisClusterNode owner = owner(node(port), slot);
        RedisCommands<String, String> source = node(owner.getUri().getPort()).admin();
        target.clusterSetSlotImporting(slot, owner.getNodeId());
        source.clusterSetSlotMigrating(slot, target.clusterMyId());
        for (List<String> keys = source.clusterGetKeysInSlot(slot, 100);
                !keys.isEmpty();
                keys = source.clusterGetKeysInSlot(slot, 100)) {
            source.migrate("127.0.0.1", port, 0, 5000, MigrateArgs.Builder.keys(keys));
        }
    }

    private static RedisClusterNode owner(RedisServer node, int slot) {
        return ClusterPartitionParser.parse(node.admin().clusterNodes()).getPartitionBySlot(slot);
    }

    private RedisServer node(int port) {
        return this.nodes.stream()
                .filter(node -> node.port() == port)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node of this cluster on port " + port));
    }

    private static int knownNodes(RedisServer node) {
        return ClusterPartitionParser.parse(node.admin().clusterNodes()).size();
    }

    private static boolean isReady(RedisServer node) {
        return node.admin().clusterInfo().contains("cluster_state:ok");
    }

    private void awaitEveryNode(String what, Predicate<RedisServer> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!this.nodes.stream().allMatch(condition)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the nodes of the Redis cluster did not " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }

    private void form() {
        RedisClient client = RedisClient.create();
        try {
            List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
            for (RedisServer node : this.nodes) {
                connections.add(client.connect(RedisURI.create("127.0.0.1", node.port())));
            }
            int share = SLOTS / this.nodes.size();
            for (int i = 0; i < connections.size(); i++) {
                int first = i * share;
                int last = (i == connections.size() - 1) ? SLOTS - 1 : first + share - 1;
                connections
                        .get(i)
                        .sync()
                        .clusterAddSlots(IntStream.rangeClosed(first, last).toArray());
            }
            for (int i = 1; i < this.nodes.size(); i++) {
                connections
                        .get(0)
                        .sync()
                        .clusterMeet("127.0.0.1", this.nodes.get(i).port());
            }
            connections.forEach(StatefulRedisConnection::close);
        } finally {
            client.shutdown();
        }
        awaitEveryNode("become ready", RedisCluster::isReady);
    }

    @Override
    public void close() {
        this.nodes.forEach(RedisServer::close);
        this.stopped.forEach(RedisServer::close);
    }
}
