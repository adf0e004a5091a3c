package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.FleetLeases;
import io.github.litellmcache.testsupport.FaultyTcpProxy;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A provider call often lasts longer than a lease; a connection that drops for a moment meanwhile (a Redis failover, a
 * reset by the network) fails a renewal or two. The leader keeps its lease while it may still be its own, so that
 * another instance does not call the provider a second time for the same key.
 */
class FleetLeaseThroughAConnectionDropTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final CacheKey key = new CacheKey(null, "a long call");

    @Test
    void aLeaseOutlivesARenewalThatFailedWhileTheConnectionWasDownForAMoment() throws InterruptedException {
        try (FaultyTcpProxy network = FaultyTcpProxy.forwardingTo(server.port());
                RedisCacheBackend leader = RedisCacheBackend.dedicated(
                        "127.0.0.1", network.port(), null, "litellm:", Duration.ofSeconds(2))) {
            FleetLeases leases = Objects.requireNonNull(leader.fleetLeases());
            FleetLeases.Lease lease = leases.lead(this.key).block().orElseThrow();
            lease.hold();

            // Down across the first renewal, a second after the lease was held, and up again well before it expires.
            Thread.sleep(800);
            network.cut();
            Thread.sleep(400);
            network.restore();
            Thread.sleep(RedisFleetLeases.LEASE.multipliedBy(2).toMillis());

            assertThat(server.admin().exists("litellm:lock/" + this.key.qualified()))
                    .as("the lease of the call still running")
                    .isEqualTo(1L);
            lease.release();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.admin().exists("litellm:lock/" + this.key.qualified()) == 0L);
        }
    }
}
