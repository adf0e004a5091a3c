package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class NearCacheSettingsTests {

    @Test
    void theNearTierIsOffBy32MBAnd30sByDefault() {
        assertThat(CacheSettings.defaults().near())
                .isEqualTo(NearCacheSettings.DEFAULTS)
                .hasToString("NearCacheSettings[enabled=false, maxMemory=32MB, ttl=30s]");
    }

    @Test
    void aSizeOfZeroIsRefusedNamingTheProperty() {
        assertThatExceptionOfType(CacheConfigurationException.class)
                .isThrownBy(() -> new NearCacheSettings(true, DataSize.ofBytes(0), Duration.ofSeconds(30)))
                .withMessageContaining("litellm.cache.near.max-memory")
                .satisfies(error -> assertThat(error.action()).contains("32MB"));
    }

    @Test
    void aZeroOrNegativeTtlIsRefusedNamingTheProperty() {
        for (Duration ttl : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
            assertThatExceptionOfType(CacheConfigurationException.class)
                    .isThrownBy(() -> new NearCacheSettings(true, DataSize.ofKilobytes(1), ttl))
                    .withMessageContaining("litellm.cache.near.ttl");
        }
    }

    @Test
    void changingTheNearTierOfARemoteCacheMakesANewBackendButNotOfALocalOne() {
        List<CacheSettings> created = new ArrayList<>();
        CacheBackendFactory factory = settings -> {
            created.add(settings);
            return new CountingBackend();
        };
        CacheSettings redis = CacheSettings.builder().type(CacheType.REDIS).build();
        NearCacheSettings on = new NearCacheSettings(true, DataSize.ofMegabytes(1), Duration.ofSeconds(5));
        try (LlmCache cache = new LlmCache(redis, true, new CountingBackend(), factory)) {
            cache.update(redis.toBuilder().near(on).build());
            assertThat(created).hasSize(1);
            cache.update(CacheSettings.defaults());
            cache.update(CacheSettings.defaults().toBuilder().near(on).build());
            assertThat(created).hasSize(2);
        }
    }

    private static final class CountingBackend implements CacheBackend {

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public CacheEntry get(CacheKey key) {
            return null;
        }

        @Override
        public void put(CacheKey key, CacheEntry entry, Duration ttl) {}

        @Override
        public void clear() {}
    }
}
