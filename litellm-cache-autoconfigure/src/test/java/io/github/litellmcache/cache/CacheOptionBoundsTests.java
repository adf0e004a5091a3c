package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Values beyond what a backend can store (a TTL of 1e16 seconds overflows Redis {@code PX} and S3
 * expiry dates; a 1,000-character namespace overflows S3 object keys) are refused when the options
 * or settings are built, before any backend sees them, so that they can never count as a backend
 * failure and open the circuit breaker for every caller.
 */
class CacheOptionBoundsTests {

    @Test
    void requestTtlAndSMaxAgeOverTenYearsAreRefusedNamingThem() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheOptions.builder()
                        .ttl(Duration.ofSeconds((long) 1e16))
                        .build())
                .withMessageContaining("ttl")
                .withMessageContaining("3650 days");
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        CacheOptions.builder().sMaxAge(Duration.ofDays(3651)).build())
                .withMessageContaining("sMaxAge");
        assertThat(CacheOptions.builder().ttl(CacheOptions.MAX_DURATION).build().ttl())
                .isEqualTo(CacheOptions.MAX_DURATION);
    }

    @Test
    void staleIfErrorHasTheBoundsOfTtlOnARequestAndInTheSettings() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheOptions.builder()
                        .staleIfError(Duration.ofSeconds(-1))
                        .build())
                .withMessageContaining("staleIfError");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheSettings.builder().staleIfError(Duration.ofDays(3651)))
                .withMessageContaining("litellm.cache.stale-if-error");
        assertThat(CacheOptions.builder()
                        .staleIfError(Duration.ofHours(1))
                        .build()
                        .staleIfError())
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void requestNamespaceOverSixtyFourCharactersIsRefusedWithoutEchoingIt() {
        String namespace = "n".repeat(1_000);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheOptions.builder().namespace(namespace).build())
                .withMessageContaining("1000 characters")
                .withMessageNotContaining(namespace);
        assertThat(CacheOptions.builder().namespace("n".repeat(64)).build().namespace())
                .hasSize(64);
    }

    @Test
    void namespaceWithAControlCharacterIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheOptions.builder().namespace("team\na").build());
    }

    /** S3 lists such a name in XML that no parser reads: every clear() under the path would fail. */
    @Test
    void namespaceWithANoncharacterXmlCannotHoldIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheOptions.builder().namespace("team\uFFFF").build())
                .withMessageContaining("U+FFFF");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheSettings.builder().namespace("team\uFFFE"))
                .withMessageContaining("litellm.cache.namespace");
    }

    /** Redis and S3 write names as UTF-8, where an unpaired surrogate becomes the '?' of another namespace. */
    @Test
    void namespaceWithAnUnpairedSurrogateIsRefusedAndAPairIsTaken() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheOptions.builder().namespace("team\uD800").build())
                .withMessageContaining("unpaired surrogate");
        assertThatIllegalArgumentException()
                .isThrownBy(
                        () -> CacheOptions.builder().namespace("\uDE00\uD83D").build());
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheSettings.builder().namespace("team\uDC00"))
                .withMessageContaining("litellm.cache.namespace");
        assertThat(CacheOptions.builder().namespace("team\uD83D\uDE00").build().namespace())
                .isEqualTo("team\uD83D\uDE00");
    }

    @Test
    void configuredTtlAndNamespaceHaveTheSameBounds() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheSettings.builder().ttl(Duration.ofDays(3651)))
                .withMessageContaining("litellm.cache.ttl");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheSettings.builder().namespace("n".repeat(65)))
                .withMessageContaining("litellm.cache.namespace");
    }
}
