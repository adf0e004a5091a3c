package io.github.litellmcache.testsupport;

import java.util.List;
import java.util.Map;

/**
 * A {@link RedisCluster} for the tests of one class, registered as a static {@code @RegisterExtension} field: see
 * {@link ServerPerClassExtension}.
 */
public final class RedisClusterExtension extends ServerPerClassExtension<RedisCluster> {

    private final String[] nodeArguments;

    /** A cluster whose nodes also get {@code nodeArguments}: see {@link RedisCluster#start(String...)}. */
    public RedisClusterExtension(String... nodeArguments) {
        this.nodeArguments = nodeArguments.clone();
    }

    @Override
    protected RedisCluster launch() {
        return RedisCluster.start(this.nodeArguments);
    }

    @Override
    protected void empty(RedisCluster cluster) {
        cluster.flushAll();
    }

    /** See {@link RedisCluster#nodes()}. */
    public String nodes() {
        return server().nodes();
    }

    /** See {@link RedisCluster#addMaster()}. */
    public int addMaster() {
        return server().addMaster();
    }

    /** See {@link RedisCluster#moveSlot(int, int)}. */
    public void moveSlot(int slot, int port) {
        server().moveSlot(slot, port);
    }

    /** See {@link RedisCluster#migrateSlot(int, int)}. */
    public void migrateSlot(int slot, int port) {
        server().migrateSlot(slot, port);
    }

    /** See {@link RedisCluster#addReplica(int)}. */
    public int addReplica(int port) {
        return server().addReplica(port);
    }

    /** See {@link RedisCluster#ownerOf(int)}. */
    public int ownerOf(int slot) {
        return server().ownerOf(slot);
    }

    /** See {@link RedisCluster#kill(int)}. */
    public void kill(int port) {
        server().kill(port);
    }

    /** See {@link RedisCluster#aclLog()}. */
    public List<Map<String, Object>> aclLog() {
        return server().aclLog();
    }

    /** See {@link RedisCluster#masters()}. */
    public List<String> masters() {
        return server().masters();
    }
}
