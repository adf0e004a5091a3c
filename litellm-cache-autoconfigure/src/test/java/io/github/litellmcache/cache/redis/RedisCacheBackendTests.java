package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.AbstractCacheBackendContractTests;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheConfigurationException;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.FleetLeases;
import io.github.litellmcache.testsupport.RedisServerExtension;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis backend against a real redis-server process, checked with a raw Redis client too. */
class RedisCacheBackendTests extends AbstractCacheBackendContractTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    @Override
    protected CacheBackend createBackend() {
        return RedisCacheBackend.dedicated("127.0.0.1", server.port(), null, "litellm:", Duration.ofSeconds(2));
    }

    @Test
    void aLeaseItsCallNeverHeldEndsByItselfWhileAHeldOneIsKept() throws InterruptedException {
        FleetLeases leases = Objects.requireNonNull(backend().fleetLeases());
        CacheKey givenUp = new CacheKey(null, "given-up");
        CacheKey running = new CacheKey(null, "running");
        assertThat(leases.lead(givenUp).block())
                .as("taken, for a call that gave up")
                .isPresent();
        FleetLeases.Lease held = leases.lead(running).block().orElseThrow();
        held.hold();

        Thread.sleep(RedisFleetLeases.LEASE.plusSeconds(1).toMillis());

        assertThat(leases.lead(givenUp).block()).as("taken again").isPresent();
        assertThat(leases.lead(running).block()).as("still held").isEmpty();
        held.release();
    }

    @Test
    void clearKeepsTheLeaseOfARunningCallSoThatOtherInstancesStillWaitForIt() {
        FleetLeases leases = Objects.requireNonNull(backend().fleetLeases());
        CacheKey running = new CacheKey(null, "running");
        FleetLeases.Lease held = leases.lead(running).block().orElseThrow();
        held.hold();
        backend().put(new CacheKey(null, "entry"), entry("x"), null);

        backend().clear();

        assertThat(server.admin().keys("litellm:*")).containsExactly("litellm:lock/running");
        try (CacheBackend otherInstance = createBackend()) {
            assertThat(Objects.requireNonNull(otherInstance.fleetLeases())
                            .lead(running)
                            .block())
                    .as("the lease, still held by the running call")
                    .isEmpty();
        } finally {
            held.release();
        }
    }

    @Test
    void keysArePrefixAndNamespaceAndKey() {
        backend().put(new CacheKey("team", "abc123"), entry("x"), null);
        backend().put(new CacheKey(null, "def456"), entry("y"), null);
        assertThat(server.admin().exists("litellm:team:abc123", "litellm:def456"))
                .isEqualTo(2);
    }

    @Test
    void valueIsAVersionedJsonEnvelope() {
        backend().put(new CacheKey(null, "k1"), entry("hello"), null);
        assertThat(server.admin().get("litellm:k1"))
                .startsWith("{\"format\":2,\"stored_at\":")
                .contains("\"type\":\"chat.completion\"")
                .contains("\"content\":\"hello\"");
    }

    @Test
    void ttlIsStoredAsPxAndNoTtlMeansNoExpiry() {
        backend().put(new CacheKey(null, "short"), entry("x"), Duration.ofSeconds(90));
        backend().put(new CacheKey(null, "forever"), entry("x"), null);
        assertThat(server.admin().pttl("litellm:short")).isBetween(85_000L, 90_000L);
        assertThat(server.admin().pttl("litellm:forever")).isEqualTo(-1L);
    }

    /** Redis keeps a TTL in whole milliseconds and refuses {@code SET ... PX 0}. */
    @Test
    void aTtlUnderAMillisecondStoresNothingInsteadOfFailing() {
        backend().put(new CacheKey(null, "fleeting"), entry("x"), Duration.ofNanos(500_000));
        assertThat(server.admin().exists("litellm:fleeting")).isZero();
    }

    @Test
    void clearLeavesForeignKeysUntouched() {
        server.admin().set("other-app:key", "keep me");
        server.admin().set("litellm-not-ours", "keep me too");
        for (int i = 0; i < 2_500; i++) {
            backend().put(new CacheKey((i % 2 == 0) ? "ns" : null, "k" + i), entry("v"), null);
        }
        backend().clear();
        assertThat(server.admin().keys("litellm:*")).isEmpty();
        assertThat(server.admin().get("other-app:key")).isEqualTo("keep me");
        assertThat(server.admin().get("litellm-not-ours")).isEqualTo("keep me too");
    }

    @Test
    void clearRemovesOnlyKeysUnderItsOwnPrefixNotThoseOfALongerPrefixStartingTheSame() {
        server.admin().set("litellm2:k", "keep: another prefix starting with litellm");
        server.admin().set("litellm", "keep: the prefix without its separator");
        backend().put(new CacheKey(null, "k"), entry("v"), null);
        backend().clear();
        assertThat(server.admin().keys("litellm:*")).isEmpty();
        assertThat(server.admin().keys("litellm*")).contains("litellm2:k", "litellm");
        server.admin().del("litellm2:k", "litellm");
    }

    @Test
    void backendRefusesAKeyPrefixWithAGlobCharacter() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() ->
                        RedisCacheBackend.dedicated("127.0.0.1", server.port(), null, "*:", Duration.ofSeconds(2)))
                .withMessageContaining("litellm.cache.redis.key-prefix");
    }

    @Test
    void valueThatIsNotAnEnvelopeIsAMiss() {
        CacheKey key = new CacheKey(null, "corrupt");
        server.admin().set("litellm:corrupt", "not json at all");
        assertThat(backend().get(key)).isNull();
        server.admin()
                .set("litellm:corrupt", "{\"format\":3,\"stored_at\":1,\"type\":\"chat.completion\",\"response\":{}}");
        assertThat(backend().get(key)).as("another format version").isNull();
        server.admin().set("litellm:corrupt", "{\"format\":2,\"stored_at\":1,\"type\":\"image\",\"response\":{}}");
        assertThat(backend().get(key)).as("an unknown type").isNull();
    }

    @Test
    void theSetsOfOneBulkBatchAreSentTogetherEachWithItsOwnTtl() {
        CacheBackend backend = backend();
        int batch = backend.bulkBatchSize();
        assertThat(batch).isGreaterThan(CacheBackend.BULK_CONCURRENCY);
        backend.put(new CacheKey(null, "connected"), entry("x"), null);
        String content = "x".repeat(1_000);
        Map<CacheKey, CacheEntry> entries = new HashMap<>();
        for (int i = 0; i < batch; i++) {
            entries.put(new CacheKey(null, "item-" + i), entry(content));
        }
        CompletableFuture<Void> written;
        client("PAUSE", "10000", "WRITE");
        try {
            written = backend.putAllAsync(entries, Duration.ofMinutes(10)).toFuture();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(largestQueryBuffer())
                            .as("SETs waiting in the server's query buffer while writes are paused")
                            .isGreaterThan((long) batch / 2 * content.length()));
        } finally {
            client("UNPAUSE");
        }
        written.join();
        assertThat(server.admin().keys("litellm:*item-*"))
                .hasSize(batch)
                .allSatisfy(key -> assertThat(server.admin().pttl(key)).isPositive());
    }

    /** {@code CLIENT <arguments>} on the test's own connection. */
    private static void client(String... arguments) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (String argument : arguments) {
            args.add(argument);
        }
        server.admin().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), args);
    }

    /** The most bytes of commands a client has sent that the server has not run yet. */
    private static long largestQueryBuffer() {
        Matcher pending =
                Pattern.compile(" qbuf=(\\d+) ").matcher(server.admin().clientList());
        long largest = 0;
        while (pending.find()) {
            largest = Math.max(largest, Long.parseLong(pending.group(1)));
        }
        return largest;
    }

    @Test
    void closingADedicatedBackendClosesItsConnection() {
        CacheBackend dedicated = createBackend();
        dedicated.put(new CacheKey(null, "c"), entry("x"), null);
        long before = clients();
        dedicated.close();
        dedicated.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (clients() >= before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(clients()).isLessThan(before);
    }

    private static long clients() {
        return server.admin().clientList().lines().count();
    }
}
