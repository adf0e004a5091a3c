package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionChunks;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.Usage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The semantics every {@link CacheBackend} must have. Each backend's test extends this class and
 * says how to create the backend under test.
 */
public abstract class AbstractCacheBackendContractTests {

    private CacheBackend backend;

    /** A fresh backend; entries left by an earlier test must not be visible to it after {@code clear()}. */
    protected abstract CacheBackend createBackend();

    @BeforeEach
    void createAndClear() {
        this.backend = createBackend();
        this.backend.clear();
    }

    @AfterEach
    void close() throws Exception {
        this.backend.close();
    }

    protected CacheBackend backend() {
        return this.backend;
    }

    @Test
    void getReturnsWhatWasPut() {
        CacheKey key = key(null);
        CacheEntry entry = entry("hello");
        this.backend.put(key, entry, null);
        CacheEntry found = this.backend.get(key);
        assertThat(found).isNotNull();
        assertThat(found.response()).isEqualTo(entry.response());
        assertThat(found.storedAt()).isEqualTo(entry.storedAt());
    }

    @Test
    void getOfAnUnknownKeyIsNull() {
        assertThat(this.backend.get(key(null))).isNull();
        assertThat(this.backend.getAsync(key(null)).blockOptional()).isEmpty();
    }

    @Test
    void embeddingResponsesRoundTrip() {
        CacheKey key = key(null);
        EmbeddingResponse response = new EmbeddingResponse(
                List.of(new EmbeddingResponse.Embedding(0, new float[] {0.25f, -1.5f})),
                "text-embedding-3-small",
                new Usage(2, 0, 2));
        this.backend.put(key, new CacheEntry(response, now()), null);
        assertThat(this.backend.get(key).response()).isEqualTo(response);
    }

    @Test
    void putReplacesAnEarlierEntry() {
        CacheKey key = key(null);
        this.backend.put(key, entry("first"), null);
        this.backend.put(key, entry("second"), null);
        assertThat(content(this.backend.get(key))).isEqualTo("second");
    }

    @Test
    void asyncOperationsSeeTheSameEntries() {
        CacheKey key = key(null);
        this.backend.putAsync(key, entry("async"), null).block();
        assertThat(content(this.backend.getAsync(key).block())).isEqualTo("async");
        assertThat(content(this.backend.get(key))).isEqualTo("async");
    }

    @Test
    void entryExpiresAfterItsTtl() throws InterruptedException {
        CacheKey shortLived = key(null);
        CacheKey longLived = key(null);
        Duration ttl = Duration.ofSeconds(1);
        this.backend.put(shortLived, entry("short"), ttl);
        this.backend.put(longLived, entry("long"), Duration.ofMinutes(10));
        assertThat(this.backend.get(shortLived)).isNotNull();
        Thread.sleep(ttl.toMillis() + 200);
        assertThat(this.backend.get(shortLived)).isNull();
        assertThat(this.backend.get(longLived)).isNotNull();
    }

    @Test
    void zeroTtlStoresNothing() {
        CacheKey key = key(null);
        this.backend.put(key, entry("never"), Duration.ZERO);
        assertThat(this.backend.get(key)).isNull();
    }

    @Test
    void namespacesAreKeptApart() {
        String sameKey = UUID.randomUUID().toString();
        this.backend.put(new CacheKey("team-a", sameKey), entry("a"), null);
        this.backend.put(new CacheKey("team-b", sameKey), entry("b"), null);
        assertThat(content(this.backend.get(new CacheKey("team-a", sameKey)))).isEqualTo("a");
        assertThat(content(this.backend.get(new CacheKey("team-b", sameKey)))).isEqualTo("b");
        assertThat(this.backend.get(new CacheKey(null, sameKey))).isNull();
        assertThat(this.backend.get(new CacheKey("team-c", sameKey))).isNull();
    }

    @Test
    void clearRemovesEveryEntry() {
        CacheKey plain = key(null);
        CacheKey namespaced = key("ns");
        this.backend.put(plain, entry("x"), null);
        this.backend.put(namespaced, entry("y"), Duration.ofMinutes(5));
        this.backend.clear();
        assertThat(this.backend.get(plain)).isNull();
        assertThat(this.backend.get(namespaced)).isNull();
    }

    @Test
    void removeDropsTheEntriesOfTheKeysGivenAndNoOther() {
        CacheKey plain = key(null);
        CacheKey namespaced = key("ns");
        CacheKey kept = key(null);
        this.backend.put(plain, entry("x"), null);
        this.backend.put(namespaced, entry("y"), Duration.ofMinutes(5));
        this.backend.put(kept, entry("z"), null);
        this.backend.remove(List.of(plain, namespaced));
        assertThat(this.backend.get(plain)).isNull();
        assertThat(this.backend.get(namespaced)).isNull();
        assertThat(content(this.backend.get(kept))).isEqualTo("z");
    }

    @Test
    void concurrentWritersLeaveEveryEntryReadable() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            List<CacheKey> keys = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                CacheKey key = key((i % 2 == 0) ? null : "ns");
                keys.add(key);
                String content = "value-" + i;
                writes.add(pool.submit(() -> this.backend.put(key, entry(content), null)));
            }
            for (Future<?> write : writes) {
                write.get();
            }
            for (int i = 0; i < keys.size(); i++) {
                assertThat(content(this.backend.get(keys.get(i)))).isEqualTo("value-" + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentWritersOfOneKeyLeaveOneOfTheirValues() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CacheKey key = key(null);
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String content = "value-" + i;
                writes.add(pool.submit(() -> this.backend.put(key, entry(content), null)));
            }
            for (Future<?> write : writes) {
                write.get();
            }
            assertThat(content(this.backend.get(key))).matches("value-\\d+");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void getAllReturnsOnlyTheEntriesPresent() {
        CacheKey present = key(null);
        CacheKey namespaced = key("ns");
        CacheKey absent = key(null);
        this.backend.put(present, entry("p"), null);
        this.backend.put(namespaced, entry("n"), null);
        Map<CacheKey, CacheEntry> found = this.backend.getAll(List.of(present, namespaced, absent));
        assertThat(found).containsOnlyKeys(present, namespaced);
        assertThat(content(found.get(present))).isEqualTo("p");
        assertThat(content(found.get(namespaced))).isEqualTo("n");
        assertThat(this.backend.getAllAsync(List.of(present, absent)).block()).containsOnlyKeys(present);
        assertThat(this.backend.getAll(List.of())).isEmpty();
    }

    @Test
    void putAllStoresEveryEntryWithTheTtl() throws InterruptedException {
        Map<CacheKey, CacheEntry> entries = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            entries.put(key((i % 2 == 0) ? null : "ns"), entry("bulk-" + i));
        }
        this.backend.putAll(entries, null);
        assertThat(this.backend.getAll(entries.keySet())).hasSize(50);
        entries.forEach(
                (key, entry) -> assertThat(content(this.backend.get(key))).isEqualTo(content(entry)));
        CacheKey shortLived = key(null);
        this.backend
                .putAllAsync(Map.of(shortLived, entry("short")), Duration.ofMillis(300))
                .block();
        assertThat(this.backend.get(shortLived)).isNotNull();
        Thread.sleep(600);
        assertThat(this.backend.get(shortLived)).isNull();
    }

    @Test
    void putAllWithZeroTtlStoresNothing() {
        CacheKey key = key(null);
        this.backend.putAll(Map.of(key, entry("never")), Duration.ZERO);
        assertThat(this.backend.get(key)).isNull();
    }

    @Test
    void chunksOfAStreamAreKeptWithTheEntry() {
        CacheKey key = key(null);
        ChatCompletion completion = (ChatCompletion) entry("streamed").response();
        List<ChatCompletionChunk> chunks = ChatCompletionChunks.split(completion, true);
        this.backend.put(key, new CacheEntry(completion, now(), chunks), null);
        assertThat(this.backend.get(key).chunks()).isEqualTo(chunks);
    }

    protected static CacheKey key(String namespace) {
        return new CacheKey(namespace, UUID.randomUUID().toString().replace("-", ""));
    }

    protected static CacheEntry entry(String content) {
        return CacheEntries.answering(content);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String content(CacheEntry entry) {
        assertThat(entry).isNotNull();
        return ((ChatCompletion) entry.response()).content();
    }
}
