package io.github.litellmcache.cache.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.Timeouts;
import io.github.litellmcache.cache.local.LocalCacheBackend;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * While {@code LlmCache.update} replaces a backend, calls still running on the old one and calls on the new one take
 * turns: each keeps the guard (circuit breaker, warm-up) its backend had, instead of making the other's anew.
 */
class BackendGuardsTests {

    private final BackendGuards guards =
            new BackendGuards(new Timeouts(Duration.ofMillis(250), Duration.ofSeconds(5)), List.of());

    @Test
    void callsOnTheReplacedAndTheCurrentBackendTakingTurnsKeepTheirGuards() {
        LocalCacheBackend replaced = new LocalCacheBackend(10);
        LocalCacheBackend current = new LocalCacheBackend(10);
        GuardedBackend replacedGuard = this.guards.guard(replaced);
        GuardedBackend currentGuard =
                this.guards.guard(current, new Timeouts(Duration.ofMillis(300), Duration.ofSeconds(5)));

        for (int turn = 0; turn < 3; turn++) {
            assertThat(this.guards.guard(replaced)).isSameAs(replacedGuard);
            assertThat(this.guards.guard(current)).isSameAs(currentGuard);
        }
    }

    @Test
    void aBackendReplacedTwiceSinceGetsAGuardOfItsOwnWithoutDisplacingTheCurrentOnes() {
        LocalCacheBackend first = new LocalCacheBackend(10);
        LocalCacheBackend second = new LocalCacheBackend(10);
        LocalCacheBackend current = new LocalCacheBackend(10);
        this.guards.guard(first);
        this.guards.guard(second);
        GuardedBackend currentGuard = this.guards.guard(current);

        assertThat(this.guards.guard(first).backend()).isSameAs(first);
        assertThat(this.guards.guard(current)).isSameAs(currentGuard);
    }

    @Test
    void callsOnTwoReplacedBackendsAndTheCurrentOneTakingTurnsKeepTheCurrentOnesGuard() {
        LocalCacheBackend first = new LocalCacheBackend(10);
        LocalCacheBackend second = new LocalCacheBackend(10);
        this.guards.guard(first, Timeouts.DEFAULTS);
        this.guards.guard(second, Timeouts.DEFAULTS);
        LocalCacheBackend current = new LocalCacheBackend(10);
        GuardedBackend currentGuard = this.guards.guard(current, Timeouts.DEFAULTS);

        for (int turn = 0; turn < 3; turn++) {
            assertThat(this.guards.guard(first).backend()).isSameAs(first);
            assertThat(this.guards.guard(second).backend()).isSameAs(second);
            assertThat(this.guards.guard(current))
                    .as("the circuit breaker and warm-up of the backend that calls use now")
                    .isSameAs(currentGuard);
        }
    }
}
