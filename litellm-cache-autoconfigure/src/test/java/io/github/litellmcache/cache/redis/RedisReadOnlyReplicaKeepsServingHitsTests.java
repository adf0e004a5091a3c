package io.github.litellmcache.cache.redis;

import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServer;
import org.junit.jupiter.api.Test;

/**
 * Against a real redis-server turned into a replica of a master it cannot reach, as a failover can leave a client:
 * it still answers reads from the entries it holds, and answers every write {@code READONLY}, a failure of the store
 * (not a refusal of one write). Misses asked at once, as concurrent traffic asks them, fail their writes together:
 * that skips writes only (and the fleet's leases, which are writes), and the entries stored before stay hits.
 */
class RedisReadOnlyReplicaKeepsServingHitsTests extends AbstractCachedApplicationTests {

    /** A port nothing listens on, which only root could bind: the replica never reaches its master. */
    private static final int UNREACHABLE = 1;

    @Test
    void entriesStoredBeforeAreStillHitsAfterManyMissesWhoseWritesFail() {
        try (RedisServer redis = RedisServer.launch()) {
            applicationRunner()
                    .withPropertyValues(redis.cacheProperties())
                    .withPropertyValues("litellm.cache.timeout=2s", "litellm.cache.cooldown=60s")
                    .run(context -> assertFailingWritesSkipOnlyWrites(
                            context, () -> redis.admin().replicaof("127.0.0.1", UNREACHABLE)));
        }
    }
}
