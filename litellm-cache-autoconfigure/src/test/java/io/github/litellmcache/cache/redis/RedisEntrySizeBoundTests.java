package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheEntries;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheEntryCodec;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A value larger than {@link CacheEntryCodec#MAX_ENVELOPE_BYTES} at an entry's key (written there by someone else, or
 * by a mistake) is a miss, never decoded into the many times larger objects it would make, whether read alone or
 * among others; it is left in place and warned about without its key. The backend never writes an entry that large,
 * which no read would take.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisEntrySizeBoundTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private static final byte[] OVERSIZED = CacheEntries.oversizedEnvelope();

    private final RedisCacheBackend backend =
            RedisCacheBackend.dedicated("127.0.0.1", server.port(), null, "litellm:", Duration.ofSeconds(5));

    @AfterEach
    void close() {
        this.backend.close();
        server.admin().flushall();
    }

    @Test
    void anOversizedValueAtAnEntrysKeyIsAMissLeftInPlace(CapturedOutput output) {
        CacheKey key = new CacheKey(null, "oversized-key");
        server.admin().set(this.backend.redisKey(key), new String(OVERSIZED, StandardCharsets.US_ASCII));

        assertThat(this.backend.get(key)).isNull();
        assertThat(server.admin().exists(this.backend.redisKey(key))).isEqualTo(1);
        assertThat(output.getAll())
                .contains("larger than 64MB")
                .contains("'litellm:'")
                .doesNotContain("oversized-key");
    }

    @Test
    void anOversizedValueAmongOthersReadTogetherIsTheOnlyMiss() {
        CacheKey oversized = new CacheKey(null, "oversized");
        CacheKey stored = new CacheKey(null, "stored");
        server.admin().set(this.backend.redisKey(oversized), new String(OVERSIZED, StandardCharsets.US_ASCII));
        this.backend.put(stored, CacheEntries.answering("a small answer"), null);

        assertThat(this.backend.getAll(List.of(oversized, stored))).containsOnlyKeys(stored);
    }

    @Test
    void anEntryWhoseEnvelopeWouldBeOversizedIsNotWritten() {
        CacheKey key = new CacheKey(null, "too-large");
        CacheEntry entry = new CacheEntryCodec().decode(OVERSIZED);

        this.backend.put(key, entry, null);

        assertThat(server.admin().exists(this.backend.redisKey(key))).isZero();
    }
}
