package io.github.litellmcache.cache.near;

import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheEntries;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.NearCacheSettings;
import io.github.litellmcache.cache.redis.RedisCacheBackend;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.testsupport.FaultyTcpProxy;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A network that hangs between an instance and Redis (a firewall or NAT that drops an idle connection silently, a
 * stalled link) closes nothing: the tracking connection looks open while the invalidations of other instances' writes
 * never arrive. The near tier must stop answering then, as it does when the connection drops, and come back once
 * the connection answers again.
 */
class NearTierOnAHungTrackingConnectionTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final CacheKey key = new CacheKey(null, "overwritten-during-a-hang");

    @Test
    void aNearEntryStopsAnsweringWhileTheTrackingConnectionHangsAndTheTierComesBackAfter() {
        try (FaultyTcpProxy network = FaultyTcpProxy.forwardingTo(server.port());
                CacheBackend writer = RedisCacheBackend.dedicated(
                        "127.0.0.1", server.port(), null, "litellm:", Duration.ofSeconds(2));
                CacheBackend reader = RedisTracking.over(
                        RedisCacheBackend.dedicated(
                                "127.0.0.1", network.port(), null, "litellm:", Duration.ofSeconds(2)),
                        new NearCacheSettings(
                                true, NearCacheSettings.DEFAULT_MAX_MEMORY, NearCacheSettings.DEFAULT_TTL))) {
            NearCacheBackend near = (NearCacheBackend) reader;
            await().atMost(Duration.ofSeconds(10)).until(near::isNearTierInUse);
            writer.put(this.key, CacheEntries.answering("before the hang"), null);
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> reader.get(this.key) != null && near.nearEntry(this.key) != null);

            network.pause();
            writer.put(this.key, CacheEntries.answering("written during the hang"), null);

            await().atMost(Duration.ofSeconds(10))
                    .alias("the near entry that the overwrite's lost invalidation left")
                    .until(() -> near.nearEntry(this.key) == null && !near.isNearTierInUse());

            network.restore();
            await().atMost(Duration.ofSeconds(10)).until(near::isNearTierInUse);
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> near.nearEntry(this.key) == null
                            && "written during the hang".equals(content(reader.get(this.key))));
        }
    }

    private static @Nullable String content(@Nullable CacheEntry entry) {
        return (entry != null) ? ((ChatCompletion) entry.response()).content() : null;
    }
}
