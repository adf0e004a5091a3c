package io.github.litellmcache.testsupport;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A master, its replica and one Sentinel watching them as {@link #MASTER}, made of {@link RedisServer} processes; it is
 * ready once the replica is in sync and the Sentinel knows it. The Sentinel takes a master for down after a second
 * without an answer and fails over at once (a quorum of one): {@link #stopMaster()} is the outage, {@link #failOver()}
 * a failover asked for, and {@link #awaitFailover(int)} waits until the replica has taken over. A test that stops the
 * master leaves it stopped.
 */
public final class RedisSentinel implements AutoCloseable {

    /** The name of the master that the Sentinel watches, the value of {@code spring.data.redis.sentinel.master}. */
    public static final String MASTER = "mymaster";

    private final List<RedisServer> nodes = new ArrayList<>();

    private final List<RedisServer> stopped = new ArrayList<>();

    private final RedisServer sentinel;

    private final RedisClient client = RedisClient.create();

    private final StatefulRedisSentinelConnection<String, String> sentinelConnection;

    private RedisSentinel() {
        RedisServer master = RedisServer.launch();
        this.nodes.add(master);
        this.nodes.add(RedisServer.launch("--replicaof", "127.0.0.1", String.valueOf(master.port())));
        this.sentinel = RedisServer.launchSentinel(List.of(
                "sentinel monitor " + MASTER + " 127.0.0.1 " + master.port() + " 1",
                "sentinel down-after-milliseconds " + MASTER + " 1000",
                "sentinel failover-timeout " + MASTER + " 5000"));
        this.sentinelConnection = this.client.connectSentinel(RedisURI.create("127.0.0.1", this.sentinel.port()));
    }

    /** A master, its replica in sync and a Sentinel that knows both. */
    public static RedisSentinel start() {
        RedisSentinel started = new RedisSentinel();
        started.await(
                "see the replica in sync",
                () -> started.nodes.get(1).admin().info("replication").contains("master_link_status:up"));
        started.await(
                "let the Sentinel know the replica",
                () -> !started.sentinel().replicas(MASTER).isEmpty());
        return started;
    }

    /** {@code 127.0.0.1:port} of the Sentinel, the value of {@code spring.data.redis.sentinel.nodes}. */
    public String sentinels() {
        return "127.0.0.1:" + this.sentinel.port();
    }

    /** The port of the master, as the Sentinel names it. */
    public int masterPort() {
        return ((InetSocketAddress) sentinel().getMasterAddrByName(MASTER)).getPort();
    }

    /** The master, as the Sentinel names it. */
    public RedisServer master() {
        int port = masterPort();
        return this.nodes.stream()
                .filter(node -> node.port() == port)
                .findFirst()
                .orElseThrow(() ->
                        new IllegalStateException("the Sentinel names a master on " + port + ", which is stopped"));
    }

    /** Stops the master, as a crash would; gives its port. */
    public int stopMaster() {
        RedisServer master = master();
        master.stop();
        this.nodes.remove(master);
        this.stopped.add(master);
        return master.port();
    }

    /**
     * Asks the Sentinel for a failover with the master running ({@code SENTINEL FAILOVER}), as before a maintenance:
     * the replica is promoted, then the old master is made its replica and its clients disconnected; gives the old
     * master's port.
     */
    public int failOver() {
        int port = masterPort();
        sentinel().failover(MASTER);
        return port;
    }

    /** Waits until the Sentinel names a master other than the one on {@code oldPort}, and that one is a master. */
    public void awaitFailover(int oldPort) {
        await(
                "fail over",
                () -> masterPort() != oldPort
                        && "master".equals(master().admin().role().get(0)));
    }

    /** Empties the master ({@code FLUSHALL}), which its replica follows. */
    public void flushAll() {
        master().admin().flushall();
    }

    private RedisSentinelCommands<String, String> sentinel() {
        return this.sentinelConnection.sync();
    }

    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Redis Sentinel's servers did not " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }

    @Override
    public void close() {
        this.sentinelConnection.close();
        this.client.shutdown();
        this.sentinel.close();
        this.nodes.forEach(RedisServer::close);
        this.stopped.forEach(RedisServer::close);
    }
}
