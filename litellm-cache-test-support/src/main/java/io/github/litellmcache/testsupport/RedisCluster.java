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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A Redis Cluster of three masters without replicas, made of {@link RedisServer} processes: the
 * slots are assigned and the nodes introduced with Lettuce (no redis-cli needed), then it waits
 * for {@code cluster_state:ok}. A test can change its topology as an operator would: {@link #addMaster()} and
 * {@link #moveSlot(int, int)}, a resharding.
 */
public final class RedisCluster implements AutoCloseable {

    private static final int SLOTS = 16384;

    private static final String[] NODE_ARGUMENTS = {"--cluster-enabled", "yes", "--cluster-node-timeout", "2000"};

    private final List<RedisServer> nodes = new ArrayList<>();

    private RedisCluster() {}

    public static RedisCluster start() {
        RedisCluster cluster = new RedisCluster();
        for (int i = 0; i < 3; i++) {
            cluster.nodes.add(RedisServer.launch(NODE_ARGUMENTS));
        }
        cluster.form();
        return cluster;
    }

    /** {@code 127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}, the value of {@code spring.data.redis.cluster.nodes}. */
    public String nodes() {
        return this.nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    /** Empties every master ({@code FLUSHALL} on each). */
    public void flushAll() {
        this.nodes.forEach(node -> node.admin().flushall());
    }

    /** Starts another master, without slots, introduces it to the others and waits until all know it and the cluster is
     * ready; gives its port. */
    public int addMaster() {
        RedisServer added = RedisServer.launch(NODE_ARGUMENTS);
        this.nodes.add(added);
        added.admin().clusterMeet("127.0.0.1", this.nodes.get(0).port());
        awaitEveryNode("know the added master", node -> knownNodes(node) == this.nodes.size() && isReady(node));
        return added.port();
    }

    /**
     * Moves {@code slot} and its keys to the master on {@code port}, as {@code redis-cli --cluster reshard} does:
     * importing and migrating, {@code MIGRATE} of its keys, then {@code CLUSTER SETSLOT ... NODE} on every master;
     * waits until every node agrees on the new owner.
     */
    public void moveSlot(int slot, int port) {
        RedisCommands<String, String> target = node(port).admin();
        RedisClusterNode owner =
                ClusterPartitionParser.parse(target.clusterNodes()).getPartitionBySlot(slot);
        RedisCommands<String, String> source = node(owner.getUri().getPort()).admin();
        String targetId = target.clusterMyId();
        target.clusterSetSlotImporting(slot, owner.getNodeId());
        source.clusterSetSlotMigrating(slot, targetId);
        for (List<String> keys = source.clusterGetKeysInSlot(slot, 100);
                !keys.isEmpty();
                keys = source.clusterGetKeysInSlot(slot, 100)) {
            source.migrate("127.0.0.1", port, 0, 5000, MigrateArgs.Builder.keys(keys));
        }
        target.clusterSetSlotNode(slot, targetId);
        source.clusterSetSlotNode(slot, targetId);
        this.nodes.forEach(node -> node.admin().clusterSetSlotNode(slot, targetId));
        awaitEveryNode(
                "agree on the owner of slot " + slot,
                node -> ClusterPartitionParser.parse(node.admin().clusterNodes())
                                .getPartitionBySlot(slot)
                                .getUri()
                                .getPort()
                        == port);
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
    }
}
