package io.github.litellmcache.cache.near;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One RESP3 tracking connection, to a master of a cluster or to a single server: it empties the near tier's entries of
 * the keys that Redis invalidates, and suspends the tier when it drops, hangs or is refused tracking, telling its
 * {@link Owner} when it tracks again.
 */
final class TrackingConnection implements PushListener, RedisConnectionStateListener {

    /** How long after a failed {@code CLIENT TRACKING} it is asked for again. */
    static final Duration RETRY = Duration.ofMillis(200);

    /** {@code host:port} of the master, empty on a single server. */
    private final String address;

    private final StatefulRedisConnection<String, String> connection;

    private final String keyPrefix;

    private final NearEntries entries;

    private final Owner owner;

    private volatile boolean tracking;

    private volatile boolean removed;

    private volatile boolean hung;

    private volatile CompletableFuture<?> ping = CompletableFuture.completedFuture(null);

    /** The asks for tracking since the one under way started, or 0 when none is. */
    private final AtomicInteger asks = new AtomicInteger();

    TrackingConnection(
            String address,
            StatefulRedisConnection<String, String> connection,
            String keyPrefix,
            NearEntries entries,
            Owner owner) {
        this.address = address;
        this.connection = connection;
        this.keyPrefix = keyPrefix;
        this.entries = entries;
        this.owner = owner;
        connection.addListener((PushListener) this);
        ((RedisChannelHandler<?, ?>) connection).addListener((RedisConnectionStateListener) this);
    }

    String address() {
        return this.address;
    }

    boolean isTracking() {
        return this.tracking;
    }

    /**
     * Whether the connection is dropped or hangs, as when its node failed, rather than refused tracking: then its
     * owner asks the cluster's topology again.
     */
    boolean isDown() {
        return !this.connection.isOpen() || this.hung;
    }

    /** Counts the connection as tracking; its owner calls this, under its lock, when told that tracking started. */
    void markTracking() {
        this.tracking = true;
    }

    /**
     * Asks for tracking, switched off first: Redis refuses a prefix that the connection already tracks, as after a hang
     * or a {@code CLIENT TRACKING} that timed out here but succeeded there. Asks made while one is under way (a
     * reconnection and a heartbeat's answered {@code PING} at the same moment) make one more once it ends, whose
     * outcome alone is told: interleaved, the second {@code on} would follow the first's and be refused.
     */
    void track() {
        if (this.owner.isClosed() || this.removed) {
            return;
        }
        if (this.asks.getAndIncrement() == 0) {
            ask();
        }
    }

    private void ask() {
        if (this.connection instanceof StatefulRedisConnectionImpl<?, ?> impl
                && impl.getConnectionState().getNegotiatedProtocolVersion() == ProtocolVersion.RESP2) {
            this.asks.set(0);
            this.owner.cannotTrack("The near tier stays off: its Redis connection speaks RESP2, and invalidation"
                    + " messages need RESP3 (Redis 6 or later, Lettuce's default protocol); do not force RESP2 in the"
                    + " client options");
            return;
        }
        int asked = this.asks.get();
        this.connection
                .async()
                .clientSetname(RedisTracking.CLIENT_NAME)
                .thenCompose(named -> this.connection.async().clientTracking(TrackingArgs.Builder.enabled(false)))
                .thenCompose(off -> this.connection
                        .async()
                        .clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes(this.keyPrefix)))
                .whenComplete((ok, error) -> {
                    if (!this.asks.compareAndSet(asked, 0)) {
                        this.asks.set(1);
                        ask();
                    } else if (!this.removed) {
                        answered(error);
                    }
                });
    }

    /** Tells the owner that tracking started, or was refused with {@code error} and is asked for again later. */
    private void answered(@Nullable Throwable error) {
        if (error == null) {
            this.owner.tracking(this);
        } else {
            this.owner.refused(error);
            CompletableFuture.delayedExecutor(RETRY.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(this::trackUnlessTracking);
        }
    }

    private void trackUnlessTracking() {
        if (!this.tracking) {
            track();
        }
    }

    /** Pings the connection, unless the last ping is unanswered: then the connection hangs. */
    void heartbeat() {
        if (!this.ping.isDone()) {
            hangs();
            return;
        }
        this.ping = this.connection.async().ping().toCompletableFuture().whenComplete((pong, error) -> {
            if (error != null) {
                hangs();
            } else if (this.hung) {
                this.hung = false;
                track();
            }
        });
    }

    /** Suspends the tier, as invalidations may be lost, until a ping is answered and tracking asked for again. */
    private void hangs() {
        if (this.removed) {
            return;
        }
        this.hung = true;
        this.tracking = false;
        this.entries.suspend();
    }

    @Override
    public void onPushMessage(PushMessage message) {
        if ("invalidate".equals(message.getType())) {
            invalidated(message);
        }
    }

    private void invalidated(PushMessage message) {
        List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
        Object keys = (content.size() > 1) ? content.get(1) : null;
        if (keys instanceof List<?> list) {
            for (Object key : list) {
                if (key instanceof String redisKey && redisKey.startsWith(this.keyPrefix)) {
                    this.entries.invalidate(redisKey.substring(this.keyPrefix.length()));
                }
            }
        } else {
            this.entries.invalidateAll();
        }
    }

    /** Closes the connection, which no longer counts for the tier; once only. */
    void remove() {
        if (!this.removed) {
            forget();
            this.connection.closeAsync();
        }
    }

    /** The connection no longer counts for the tier, and is left as it is: its client closed it. */
    void forget() {
        this.removed = true;
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (this.removed) {
            return;
        }
        this.tracking = false;
        this.entries.suspend();
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        track();
    }

    /** What a tracking connection tells the {@link RedisTracking} that owns it. */
    interface Owner {

        /** Whether the owner is closed, after which tracking is no longer asked for. */
        boolean isClosed();

        /** {@code connection} tracks: {@code CLIENT TRACKING} succeeded. */
        void tracking(TrackingConnection connection);

        /** {@code CLIENT TRACKING} failed with {@code error}; it is asked for again after {@link #RETRY}. */
        void refused(Throwable error);

        /** Tracking cannot be asked for, for {@code reason}; again at each reconnection. */
        void cannotTrack(String reason);
    }
}
