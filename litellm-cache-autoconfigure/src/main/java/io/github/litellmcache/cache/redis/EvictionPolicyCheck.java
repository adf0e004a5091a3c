package io.github.litellmcache.cache.redis;

import io.github.litellmcache.cache.Timeouts;
import io.github.litellmcache.display.LogText;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import java.util.Properties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Whether the Redis that a backend writes its entries to without an expiry ({@code litellm.cache.ttl} unset) can
 * evict them: asked once, in the background, with {@code INFO memory} (of one master on a cluster), which tells the
 * {@code maxmemory} and its policy where {@code CONFIG GET} is unavailable (AWS ElastiCache, whose default policy is
 * {@code volatile-lru}). Under a {@code maxmemory} with the policy {@code noeviction} or a {@code volatile-*} one, Redis
 * never evicts them: it fills up, then refuses every write, the cache's and every other user's, which is warned about
 * once. Without a {@code maxmemory} nothing is refused, and Redis grows with the cache: said once at info level. An
 * {@code INFO} refused (an ACL user without it, a Redis that renamed it) leaves the check undone, at debug level; one
 * not answered within {@link Timeouts#WARM_UP_DEADLINE}, lost with its connection, or put off by a script running
 * past Redis's {@code busy-reply-threshold} ({@code BUSY}), is asked again by the next write without expiry.
 */
final class EvictionPolicyCheck {

    private static final Log logger = LogFactory.getLog(EvictionPolicyCheck.class);

    private static final String MAXMEMORY = "maxmemory";

    private static final String POLICY = "maxmemory_policy";

    private static final String SECTION = "memory";

    private EvictionPolicyCheck() {}

    /**
     * Starts the check on {@code redis}, never failing; the answer is judged off the connection's event loop, and
     * {@code askAgain} is run when Redis gave no answer, neither the memory section nor a refusal.
     */
    static void start(ReactiveRedisConnection redis, Runnable askAgain) {
        Mono.defer(() -> memory(redis))
                .timeout(Timeouts.WARM_UP_DEADLINE)
                .publishOn(Schedulers.boundedElastic())
                .subscribe(EvictionPolicyCheck::judge, error -> givenUp(error, askAgain));
    }

    private static Mono<Properties> memory(ReactiveRedisConnection redis) {
        if (redis instanceof ReactiveRedisClusterConnection cluster) {
            return cluster.clusterGetNodes()
                    .filter(RedisClusterNode::isMaster)
                    .next()
                    .flatMap(master -> cluster.serverCommands().info(master, SECTION));
        }
        return redis.serverCommands().info(SECTION);
    }

    private static void judge(Properties memory) {
        String maxmemory = memory.getProperty(MAXMEMORY);
        String policy = memory.getProperty(POLICY);
        if (maxmemory == null || policy == null) {
            logger.debug("Redis did not tell its maxmemory and maxmemory-policy; their check is skipped");
        } else if ("0".equals(maxmemory.strip())) {
            logger.info("Redis has no maxmemory and litellm.cache.ttl is unset: the cache's entries are written"
                    + " without expiry, and Redis grows with them until they are cleared. Set litellm.cache.ttl to"
                    + " bound the cache.");
        } else if (policy.equals("noeviction") || policy.startsWith("volatile-")) {
            logger.warn("Redis cannot evict this cache's entries (maxmemory-policy " + LogText.printable(policy)
                    + "), as litellm.cache.ttl is unset and they are written without expiry: once Redis reaches its"
                    + " maxmemory it refuses every write (OOM), this cache's and those of every other user of this"
                    + " Redis. Set litellm.cache.ttl, or give Redis an allkeys-* maxmemory-policy, such as"
                    + " allkeys-lru.");
        } else {
            logger.debug("Redis's maxmemory-policy " + LogText.printable(policy) + " can evict this cache's entries");
        }
    }

    private static void givenUp(Throwable error, Runnable askAgain) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(error);
        boolean refused = cause instanceof RedisCommandExecutionException && !(cause instanceof RedisBusyException);
        logger.debug("Redis's maxmemory-policy could not be read ("
                + cause.getClass().getSimpleName() + ": " + LogText.printable(String.valueOf(cause.getMessage()))
                + (refused ? "); its check is skipped" : "); the next write without expiry asks again"));
        if (!refused) {
            askAgain.run();
        }
    }
}
