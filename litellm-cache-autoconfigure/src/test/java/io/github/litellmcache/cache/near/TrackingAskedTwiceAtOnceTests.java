package io.github.litellmcache.cache.near;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.testsupport.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.unit.DataSize;

/**
 * Tracking asked for twice at the same moment on one connection, as when Lettuce reconnects after an outage of some
 * heartbeats (a Sentinel failover, a restart): the reconnection asks, and so does the heartbeat whose queued
 * {@code PING} is answered then; here the server is frozen while both ask, so that their commands are answered
 * together. Interleaved, the second {@code CLIENT TRACKING on} would follow the first and Redis would refuse it (its
 * prefix overlaps the one tracked), which the owner hears as a refusal and warns of, once, as if an ACL forbade
 * tracking. The asks are one after the other instead, and the owner hears only that tracking started.
 */
class TrackingAskedTwiceAtOnceTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    @Test
    void twoAsksAtOnceAreToldAsTrackingStartedNeverAsARefusal() {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        try (StatefulRedisConnection<String, String> redis = client.connect(StringCodec.UTF8)) {
            Outcomes outcomes = new Outcomes();
            TrackingConnection connection = new TrackingConnection(
                    "", redis, "litellm:", new NearEntries(DataSize.ofMegabytes(1), true), outcomes);

            server.pause();
            try {
                connection.track();
                connection.track();
            } finally {
                server.resume();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !outcomes.told.isEmpty());
            redis.sync().ping();

            assertThat(outcomes.told).containsExactly("tracking");
            assertThat(redis.sync().clientTrackinginfo().toString()).contains("litellm:");
            connection.remove();
        } finally {
            client.shutdown();
        }
    }

    /** What the connection told its owner, in order. */
    private static final class Outcomes implements TrackingConnection.Owner {

        final List<String> told = new CopyOnWriteArrayList<>();

        @Override
        public boolean isClosed() {
            return false;
        }

        @Override
        public void tracking(TrackingConnection connection) {
            connection.markTracking();
            this.told.add("tracking");
        }

        @Override
        public void refused(Throwable error) {
            this.told.add("refused: " + error.getMessage());
        }

        @Override
        public void cannotTrack(String reason) {
            this.told.add("cannot track: " + reason);
        }
    }
}
