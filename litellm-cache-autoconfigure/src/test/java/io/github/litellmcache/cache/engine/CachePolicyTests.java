package io.github.litellmcache.cache.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheMode;
import io.github.litellmcache.cache.CacheOptions;
import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.Usage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** {@link CachePolicy}: whether and how a call uses the cache, without Spring, backend or provider. */
class CachePolicyTests {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final CachePolicy policy =
            new CachePolicy(new CheckedKeys((callType, request) -> "key-of-" + request.model()));

    private final CacheSettings settings = CacheSettings.defaults();

    private static ChatCompletionRequest question(UnaryOperator<ChatCompletionRequest.Builder> options) {
        return options.apply(
                        ChatCompletionRequest.builder().model("gpt-4o-mini").message(ChatMessage.user("q")))
                .build();
    }

    private static ChatCompletionRequest question() {
        return question(UnaryOperator.identity());
    }

    private static ChatCompletionRequest withOptions(CacheOptions.Builder options) {
        return question(builder -> builder.cache(options.build()));
    }

    private static CacheEntry storedAt(Instant storedAt) {
        ChatCompletion completion = new ChatCompletion(
                "id", 1L, "m", List.of(new ChatCompletion.Choice(0, ChatMessage.assistant("x"), "stop")), null, null);
        return new CacheEntry(completion, storedAt);
    }

    @Test
    void aPlainCallReadsAndWritesUnderItsKeyWithTheConfiguredTtlAndNamespace() {
        CacheSettings configured = this.settings.toBuilder()
                .ttl(Duration.ofMinutes(10))
                .namespace("team")
                .build();
        CachePlan plan = this.policy.plan(true, configured, CallType.COMPLETION, question());
        assertThat(plan).isNotNull();
        assertThat(plan.read()).isTrue();
        assertThat(plan.write()).isTrue();
        assertThat(plan.key()).isEqualTo(new CacheKey("team", "key-of-gpt-4o-mini"));
        assertThat(plan.ttl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(plan.sMaxAge()).isNull();
    }

    @Test
    void aDisabledCacheIsBypassed() {
        assertThat(this.policy.plan(false, this.settings, CallType.COMPLETION, question()))
                .isNull();
    }

    @Test
    void aCallTypeOutsideTheSupportedOnesIsBypassed() {
        CacheSettings embeddingsOnly = this.settings.toBuilder()
                .supportedCallTypes(List.of(CallType.EMBEDDING))
                .build();
        assertThat(this.policy.plan(true, embeddingsOnly, CallType.COMPLETION, question()))
                .isNull();
        assertThat(this.policy.plan(true, embeddingsOnly, CallType.ACOMPLETION, question()))
                .isNull();
    }

    @Test
    void cachingFalseBypassesInEitherMode() {
        ChatCompletionRequest optedOut = question(builder -> builder.caching(false));
        assertThat(this.policy.plan(true, this.settings, CallType.COMPLETION, optedOut))
                .isNull();
        CacheSettings defaultOff =
                this.settings.toBuilder().mode(CacheMode.DEFAULT_OFF).build();
        assertThat(this.policy.plan(true, defaultOff, CallType.COMPLETION, optedOut))
                .isNull();
    }

    @Test
    void defaultOffCachesOnlyCallsThatOptIn() {
        CacheSettings defaultOff =
                this.settings.toBuilder().mode(CacheMode.DEFAULT_OFF).build();
        assertThat(this.policy.plan(true, defaultOff, CallType.COMPLETION, question()))
                .isNull();
        assertThat(this.policy.plan(true, defaultOff, CallType.COMPLETION, question(builder -> builder.caching(true))))
                .isNotNull();
    }

    @Test
    void noCacheSkipsTheReadButStillWrites() {
        CachePlan plan = this.policy.plan(
                true,
                this.settings,
                CallType.COMPLETION,
                withOptions(CacheOptions.builder().noCache(true)));
        assertThat(plan.read()).isFalse();
        assertThat(plan.write()).isTrue();
    }

    @Test
    void noStoreReadsButDoesNotWrite() {
        CachePlan plan = this.policy.plan(
                true,
                this.settings,
                CallType.COMPLETION,
                withOptions(CacheOptions.builder().noStore(true)));
        assertThat(plan.read()).isTrue();
        assertThat(plan.write()).isFalse();
    }

    @Test
    void aZeroTtlWritesNothingWhetherConfiguredOrRequested() {
        CacheSettings zeroTtl = this.settings.toBuilder().ttl(Duration.ZERO).build();
        assertThat(this.policy
                        .plan(true, zeroTtl, CallType.COMPLETION, question())
                        .write())
                .isFalse();
        assertThat(this.policy
                        .plan(
                                true,
                                this.settings,
                                CallType.COMPLETION,
                                withOptions(CacheOptions.builder().ttl(Duration.ZERO)))
                        .write())
                .isFalse();
    }

    @Test
    void theRequestsTtlAndNamespaceWinOverTheConfiguredOnes() {
        CacheSettings configured = this.settings.toBuilder()
                .ttl(Duration.ofMinutes(10))
                .namespace("team")
                .build();
        CachePlan plan = this.policy.plan(
                true,
                configured,
                CallType.COMPLETION,
                withOptions(CacheOptions.builder().ttl(Duration.ofSeconds(5)).namespace("mine")));
        assertThat(plan.ttl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(plan.key().namespace()).isEqualTo("mine");
    }

    @Test
    void aZeroSMaxAgeNeverReads() {
        CachePlan plan = this.policy.plan(
                true,
                this.settings,
                CallType.COMPLETION,
                withOptions(CacheOptions.builder().sMaxAge(Duration.ZERO)));
        assertThat(plan.read()).isFalse();
        assertThat(plan.write()).isTrue();
    }

    @Test
    void sMaxAgeAcceptsOnlyEntriesYoungerThanIt() {
        CachePlan plan = this.policy.plan(
                true,
                this.settings,
                CallType.COMPLETION,
                withOptions(CacheOptions.builder().sMaxAge(Duration.ofMinutes(1))));
        assertThat(plan.accepts(storedAt(NOW.minusSeconds(30)), CLOCK)).isTrue();
        assertThat(plan.accepts(storedAt(NOW.minusSeconds(60)), CLOCK)).isFalse();
        assertThat(plan.accepts(storedAt(NOW.minusSeconds(3600)), CLOCK)).isFalse();
    }

    @Test
    void withoutSMaxAgeAnyAgeIsAccepted() {
        CachePlan plan = this.policy.plan(true, this.settings, CallType.COMPLETION, question());
        assertThat(plan.accepts(storedAt(NOW.minus(Duration.ofDays(365))), CLOCK))
                .isTrue();
        assertThat(plan.accepts(null, CLOCK)).isFalse();
    }

    @Test
    void onlyAResponseOfTheCallsKindIsAccepted() {
        EmbeddingRequest embedding =
                EmbeddingRequest.builder().model("e").input("text").build();
        CachePlan plan = this.policy.plan(true, this.settings, CallType.EMBEDDING, embedding);
        assertThat(plan.responseType()).isEqualTo(EmbeddingResponse.class);
        assertThat(plan.accepts(storedAt(NOW), CLOCK))
                .as("a completion under an embedding's key")
                .isFalse();
        EmbeddingResponse vectors =
                new EmbeddingResponse(List.of(new EmbeddingResponse.Embedding(0, new float[] {1f})), "e", Usage.NONE);
        assertThat(plan.accepts(new CacheEntry(vectors, NOW), CLOCK)).isTrue();
    }

    @Test
    void onlyANonEmptyResponseIsStoredAndOnlyWhenTheCallWrites() {
        CachePlan writes = this.policy.plan(true, this.settings, CallType.COMPLETION, question());
        CachePlan noStore = this.policy.plan(
                true,
                this.settings,
                CallType.COMPLETION,
                withOptions(CacheOptions.builder().noStore(true)));
        ChatCompletion answered = (ChatCompletion) storedAt(NOW).response();
        ChatCompletion empty = new ChatCompletion("id", 1L, "m", List.of(), null, null);
        assertThat(writes.stores(answered)).isTrue();
        assertThat(writes.stores(empty)).isFalse();
        assertThat(noStore.stores(answered)).isFalse();
    }

    @Test
    void staleIfErrorKeepsTheAnswerThatLongPastItsTtlAndMarksTheEndOfItsTtl() {
        CacheSettings configured = this.settings.toBuilder()
                .ttl(Duration.ofMinutes(10))
                .staleIfError(Duration.ofHours(1))
                .build();
        CachePlan plan = this.policy.plan(true, configured, CallType.COMPLETION, question());

        assertThat(plan.storedFor()).isEqualTo(Duration.ofMinutes(70));
        assertThat(plan.stored(storedAt(NOW)).freshUntil()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
    }

    @Test
    void withoutStaleIfErrorOrWithoutTtlTheAnswerIsStoredAsBefore() {
        CachePlan noGrace = this.policy.plan(
                true, this.settings.toBuilder().ttl(Duration.ofMinutes(10)).build(), CallType.COMPLETION, question());
        CachePlan noTtl = this.policy.plan(
                true,
                this.settings.toBuilder().staleIfError(Duration.ofHours(1)).build(),
                CallType.COMPLETION,
                question());

        assertThat(noGrace.storedFor()).isEqualTo(Duration.ofMinutes(10));
        assertThat(noGrace.stored(storedAt(NOW)).freshUntil()).isNull();
        assertThat(noTtl.storedFor()).isNull();
        assertThat(noTtl.stored(storedAt(NOW)).freshUntil()).isNull();
    }

    @Test
    void theRequestsStaleIfErrorWinsOverTheConfiguredOne() {
        CacheSettings configured = this.settings.toBuilder()
                .ttl(Duration.ofMinutes(10))
                .staleIfError(Duration.ofHours(1))
                .build();
        CachePlan plan = this.policy.plan(
                true,
                configured,
                CallType.COMPLETION,
                withOptions(CacheOptions.builder().staleIfError(Duration.ofMinutes(5))));

        assertThat(plan.staleIfError()).isEqualTo(Duration.ofMinutes(5));
        assertThat(plan.storedFor()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void anEntryPastItsTtlIsNoHitButAnswersAFailureWithinTheGraceOnly() {
        CachePlan plan = this.policy.plan(
                true,
                this.settings.toBuilder().staleIfError(Duration.ofHours(1)).build(),
                CallType.COMPLETION,
                question());
        CacheEntry fresh = storedAt(NOW.minusSeconds(60)).withFreshUntil(NOW.plusSeconds(1));
        CacheEntry stale = storedAt(NOW.minusSeconds(700)).withFreshUntil(NOW.minusSeconds(100));
        CacheEntry pastTheGrace = storedAt(NOW.minus(Duration.ofHours(2))).withFreshUntil(NOW.minusSeconds(3600));

        assertThat(plan.accepts(fresh, CLOCK)).isTrue();
        assertThat(plan.accepts(stale, CLOCK)).isFalse();
        assertThat(plan.keepsAsStale(stale, CLOCK)).isTrue();
        assertThat(plan.keepsAsStale(pastTheGrace, CLOCK)).isFalse();
    }

    @Test
    void aCallWithoutStaleIfErrorNeitherAcceptsNorKeepsAnEntryPastItsTtl() {
        CachePlan plan = this.policy.plan(true, this.settings, CallType.COMPLETION, question());
        CacheEntry stale = storedAt(NOW.minusSeconds(700)).withFreshUntil(NOW.minusSeconds(100));

        assertThat(plan.accepts(stale, CLOCK)).isFalse();
        assertThat(plan.keepsAsStale(stale, CLOCK)).isFalse();
    }

    @Test
    void anEntryTooOldForSMaxAgeAnswersAFailureUnderStaleIfError() {
        CachePlan plan = this.policy.plan(
                true,
                this.settings,
                CallType.COMPLETION,
                withOptions(
                        CacheOptions.builder().sMaxAge(Duration.ofMinutes(1)).staleIfError(Duration.ofHours(1))));
        CacheEntry old = storedAt(NOW.minusSeconds(600));

        assertThat(plan.accepts(old, CLOCK)).isFalse();
        assertThat(plan.keepsAsStale(old, CLOCK)).isTrue();
    }
}
