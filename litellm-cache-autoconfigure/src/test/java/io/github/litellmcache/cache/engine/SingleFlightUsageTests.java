package io.github.litellmcache.cache.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.ClearFence;
import io.github.litellmcache.cache.local.LocalCacheBackend;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import org.junit.jupiter.api.Test;

/** Which flight a call joins, by whether its answer carries the usage and whether it expects it. */
class SingleFlightUsageTests {

    private final SingleFlight flights = new SingleFlight();

    private final CacheBackend backend = new LocalCacheBackend(10);

    private final CacheKey key = new CacheKey(null, "k");

    private final ClearFence.Generation generation = new ClearFence().current();

    private final ChatCompletionRequest request = ChatCompletionRequest.builder()
            .model("gpt-4o-mini")
            .message(ChatMessage.user("hi"))
            .build();

    private SingleFlight.Flight join(boolean withUsage) {
        return this.flights.join(this.generation, this.backend, this.key, this.request, withUsage, false);
    }

    @Test
    void aCallExpectingUsageLeadsItsOwnFlightBesideOneWithoutUsage() {
        assertThat(join(false).leads()).isTrue();

        SingleFlight.Flight withUsage = join(true);

        assertThat(withUsage.leads()).isTrue();
        assertThat(join(true).leads()).isFalse();
        assertThat(withUsage.isAwaited()).isTrue();
    }

    @Test
    void aCallNeedingNoUsageJoinsAFlightWithUsage() {
        SingleFlight.Flight withUsage = join(true);

        assertThat(join(false).leads()).isFalse();
        assertThat(withUsage.isAwaited()).isTrue();
    }

    @Test
    void callsNeedingNoUsageShareAFlightOfTheirOwnWhenNoneWithUsageIsInTheAir() {
        SingleFlight.Flight withoutUsage = join(false);

        assertThat(join(false).leads()).isFalse();
        assertThat(withoutUsage.isAwaited()).isTrue();
    }
}
