package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.AbstractCacheBackendContractTests;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.publisher.Flux;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 backend on its own asynchronous client against an in-process s3proxy with V4 authentication, checked with a
 * raw S3 client too.
 */
@ExtendWith(OutputCaptureExtension.class)
class S3CacheBackendTests extends AbstractCacheBackendContractTests {

    private static final String BUCKET = "backend-tests";

    @RegisterExtension
    static final S3ProxyServerExtension server = S3ProxyServerExtension.withBucket(BUCKET);

    @Override
    protected CacheBackend createBackend() {
        return backend(BUCKET, "entries");
    }

    private static S3CacheBackend backend(String bucket, String path) {
        return S3CacheBackend.dedicated(settings(bucket, path).s3(), List.of());
    }

    private static CacheSettings settings(String bucket, String path) {
        return S3ProxySettings.dedicatedClientOf(server)
                .s3BucketName(bucket)
                .s3Path(path)
                .build();
    }

    private static S3Client raw() {
        return server.client();
    }

    private static HeadObjectResponse head(String key) {
        return raw().headObject(r -> r.bucket(BUCKET).key(key));
    }

    @Test
    void objectKeysArePathThenNamespaceColonKeyWithSlashesInTheKeyEncoded() {
        backend().put(new CacheKey("team", "abc123"), entry("x"), null);
        backend().put(new CacheKey(null, "def456"), entry("y"), null);
        backend().put(new CacheKey(null, "custom/key%1"), entry("z"), null);
        assertThat(server.keys(BUCKET))
                .containsExactlyInAnyOrder("entries/team:abc123", "entries/def456", "entries/custom%2Fkey%251");
        assertThat(backend().get(new CacheKey(null, "custom/key%1"))).isNotNull();
        try (S3CacheBackend slashes = backend(BUCKET, "/entries/")) {
            assertThat(slashes.objectKey(new CacheKey(null, "k"))).isEqualTo("entries/k");
        }
        backend().clear();
    }

    /** HTTP resolves such a path segment, so the object would be named for the folder, or the bucket. */
    @Test
    void aKeyThatIsOneOrTwoDotsIsStoredAndReadBack() {
        for (String dots : List.of(".", "..")) {
            backend().put(new CacheKey(null, dots), entry(dots), null);
            assertThat(backend().get(new CacheKey(null, dots))).isNotNull();
        }
        assertThat(server.keys(BUCKET)).hasSize(2).allMatch(name -> name.startsWith("entries/%sha256-"));
        backend().clear();
    }

    @Test
    void withoutAPathEntriesGoToTheDefaultFolder() {
        for (String none : new String[] {null, "", " / "}) {
            try (S3CacheBackend noPath = backend(BUCKET, none)) {
                assertThat(noPath.objectKey(new CacheKey("team", "k"))).isEqualTo("litellm-cache/team:k");
                assertThat(noPath.objectKey(new CacheKey(null, "k"))).isEqualTo("litellm-cache/k");
            }
        }
    }

    @Test
    void objectIsTheVersionedJsonEnvelopeMarkedAsTheCaches() {
        backend().put(new CacheKey(null, "k1"), entry("hello"), null);
        ResponseBytes<GetObjectResponse> object =
                raw().getObjectAsBytes(r -> r.bucket(BUCKET).key("entries/k1"));
        assertThat(object.response().contentType()).isEqualTo("application/json");
        assertThat(object.response().metadata()).containsEntry("litellm-format", "2");
        assertThat(object.asString(StandardCharsets.UTF_8))
                .startsWith("{\"format\":2,\"stored_at\":")
                .contains("\"type\":\"chat.completion\"")
                .contains("\"content\":\"hello\"");
    }

    @Test
    void ttlIsStoredAsExpiryInstantAndNoTtlMeansNoExpiry() {
        long before = Instant.now().toEpochMilli();
        backend().put(new CacheKey(null, "short"), entry("x"), Duration.ofSeconds(90));
        backend().put(new CacheKey(null, "forever"), entry("x"), null);
        HeadObjectResponse shortLived = head("entries/short");
        assertThat(Long.parseLong(shortLived.metadata().get("litellm-expires-at")))
                .isBetween(before + 90_000, Instant.now().toEpochMilli() + 90_000);
        assertThat(shortLived.expiresString()).isNotBlank();
        HeadObjectResponse forever = head("entries/forever");
        assertThat(forever.metadata()).doesNotContainKey("litellm-expires-at");
        assertThat(forever.expiresString()).isNull();
    }

    @Test
    void expiredObjectIsAMissAndIsDeletedInTheBackground() {
        CacheKey key = new CacheKey(null, "expiring");
        backend().put(key, entry("x"), Duration.ofMillis(200));
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(backend().get(key)).isNull();
        });
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() ->
                        assertThatExceptionOfType(NoSuchKeyException.class).isThrownBy(() -> head("entries/expiring")));
    }

    @Test
    void valueThatIsNotAnEnvelopeIsAMiss() {
        CacheKey key = new CacheKey(null, "corrupt");
        raw().putObject(r -> r.bucket(BUCKET).key("entries/corrupt"), RequestBody.fromString("not json at all"));
        assertThat(backend().get(key)).isNull();
        raw().putObject(
                        r -> r.bucket(BUCKET).key("entries/corrupt"),
                        RequestBody.fromString(
                                "{\"format\":3,\"stored_at\":1,\"type\":\"chat.completion\",\"response\":{}}"));
        assertThat(backend().get(key)).as("another format version").isNull();
    }

    @Test
    void clearWithAPathDeletesOnlyUnderItInBatches() {
        raw().putObject(r -> r.bucket(BUCKET).key("other-app/file.txt"), RequestBody.fromString("keep me"));
        raw().putObject(r -> r.bucket(BUCKET).key("entries-not-ours"), RequestBody.fromString("keep me too"));
        Flux.range(0, 2_100)
                .flatMap(
                        i -> backend().putAsync(new CacheKey((i % 2 == 0) ? "ns" : null, "k" + i), entry("v"), null),
                        32)
                .blockLast();
        backend().clear();
        assertThat(server.keys(BUCKET)).containsExactlyInAnyOrder("other-app/file.txt", "entries-not-ours");
        raw().deleteObject(r -> r.bucket(BUCKET).key("other-app/file.txt"));
        raw().deleteObject(r -> r.bucket(BUCKET).key("entries-not-ours"));
    }

    @Test
    void clearWithoutAPathLeavesOtherDeploymentsMarkedObjectsAndForeignObjects() {
        String hexName = "0".repeat(64);
        raw().putObject(r -> r.bucket(BUCKET).key(hexName), RequestBody.fromString("foreign, named like an entry"));
        try (S3CacheBackend noPath = backend(BUCKET, null);
                S3CacheBackend otherDeployment = backend(BUCKET, "other-deployment")) {
            otherDeployment.put(new CacheKey(null, "a".repeat(64)), entry("theirs"), null);
            noPath.put(new CacheKey(null, "a".repeat(64)), entry("x"), null);
            noPath.put(new CacheKey("team", "b".repeat(64)), entry("y"), Duration.ofMinutes(5));
            noPath.clear();
            assertThat(server.keys(BUCKET)).containsExactlyInAnyOrder(hexName, "other-deployment/" + "a".repeat(64));
            assertThat(otherDeployment.get(new CacheKey(null, "a".repeat(64)))).isNotNull();
            otherDeployment.clear();
        }
        raw().deleteObject(r -> r.bucket(BUCKET).key(hexName));
    }

    @Test
    void clearOfPathADeletesNeitherTheEntriesOfPathABNorThoseOfPathAb() {
        CacheKey key = new CacheKey("ns", "k");
        try (S3CacheBackend a = backend(BUCKET, "a");
                S3CacheBackend ab = backend(BUCKET, "a/b");
                S3CacheBackend aPlusB = backend(BUCKET, "ab")) {
            for (S3CacheBackend each : List.of(a, ab, aPlusB)) {
                each.put(key, entry("x"), null);
                each.put(new CacheKey(null, "k"), entry("x"), null);
            }
            a.clear();
            assertThat(a.get(key)).isNull();
            assertThat(server.keys(BUCKET)).containsExactlyInAnyOrder("a/b/ns:k", "a/b/k", "ab/ns:k", "ab/k");
            assertThat(ab.get(key)).isNotNull();
            ab.clear();
            aPlusB.clear();
        }
    }

    @Test
    void missingBucketIsAnErrorLoggedOnceNamingTheBucketAndTheCodeAndIsNeverCreated(CapturedOutput output) {
        try (S3CacheBackend missing = backend("no-such-bucket", "entries")) {
            for (int i = 0; i < 3; i++) {
                assertThatExceptionOfType(S3Exception.class).isThrownBy(() -> missing.get(new CacheKey(null, "k")));
            }
            assertThatExceptionOfType(S3Exception.class)
                    .isThrownBy(() -> missing.put(new CacheKey(null, "k"), entry("x"), null));
        }
        assertThat(output.getOut().lines().filter(line -> line.contains("cannot use bucket")))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains("ERROR")
                        .contains("'no-such-bucket'")
                        .contains("NoSuchBucket (HTTP 404)"));
        assertThat(raw().listBuckets().buckets())
                .noneMatch(bucket -> bucket.name().equals("no-such-bucket"));
    }

    @Test
    void closingTheBackendRefusesCallsAndStopsItsOwnClientsThreadsWithoutWaiting() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        S3CacheBackend closed = backend(BUCKET, "entries");
        closed.put(new CacheKey(null, "k"), entry("x"), null);
        List<Thread> clientThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread))
                .toList();
        assertThat(clientThreads).isNotEmpty();
        long start = System.nanoTime();
        closed.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> closed.get(new CacheKey(null, "k")))
                .withMessageContaining("closed");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> clientThreads.stream().noneMatch(Thread::isAlive));
    }
}
