package io.github.litellmcache.cache.near;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.NearCacheSettings;
import io.github.litellmcache.cache.redis.RedisCacheBackend;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A Redis that refuses {@code CLIENT TRACKING} (an ACL without it, a managed Redis that does not offer it) leaves the
 * near tier off for good: a warning says so, once, with Redis's reason, rather than a debug line every 200 ms.
 */
@ExtendWith(OutputCaptureExtension.class)
class NearTierRefusedTrackingTests {

    @RegisterExtension
    static final RedisServerExtension server =
            new RedisServerExtension("--user", "default", "on", "nopass", "~*", "&*", "+@all", "-client|tracking");

    @Test
    void aRefusedClientTrackingIsWarnedAboutOnceWithRedisReason(CapturedOutput output) throws InterruptedException {
        try (CacheBackend backend = RedisTracking.over(
                RedisCacheBackend.dedicated("127.0.0.1", server.port(), null, "litellm:", Duration.ofSeconds(2)),
                new NearCacheSettings(true, NearCacheSettings.DEFAULT_MAX_MEMORY, NearCacheSettings.DEFAULT_TTL))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains("NOPERM"));
            Thread.sleep(1_000);

            assertThat(((NearCacheBackend) backend).isNearTierInUse()).isFalse();
            assertThat(output.getAll())
                    .containsOnlyOnce("the near tier is off until it succeeds")
                    .containsOnlyOnce("NOPERM");
        }
    }
}
