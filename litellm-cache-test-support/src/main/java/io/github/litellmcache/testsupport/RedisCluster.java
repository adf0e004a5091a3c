package io.github.litellmcache.testsupport;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A Redis Cluster of three masters without replicas, made of {@link RedisServer} processes: the
 * slots are assigned and the nodes introduced with Lettuce (no redis-cli needed), then it waits
 * for {@code cluster_state:ok}.
 */
public final class RedisCluster implements AutoCloseable {

    private static final int SLOTS = 16384;

    private final List<RedisServer> nodes = new ArrayList<>();

    private RedisCluster() {}

    public static RedisCluster start() {
        RedisCluster cluster = new RedisCluster();
        for (int i = 0; i < 3; i++) {
            cluster.nodes.add(RedisServer.launch("--cluster-enabled", "yes", "--cluster-node-timeout", "2000"));
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
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!connections.stream().allMatch(c -> c.sync().clusterInfo().contains("cluster_state:ok"))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Redis cluster did not become ready");
                }
                Thread.sleep(100);
            }
            connections.forEach(StatefulRedisConnection::close);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        } finally {
            client.shutdown();
        }
    }

    @Override
    public void close() {
        this.nodes.forEach(RedisServer::close);
    }
}
