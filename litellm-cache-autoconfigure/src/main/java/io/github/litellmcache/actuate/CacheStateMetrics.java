package io.github.litellmcache.actuate;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.cache.engine.GuardedBackend;
import io.github.litellmcache.cache.local.LocalCacheBackend;
import io.github.litellmcache.cache.local.TierUsage;
import io.github.litellmcache.cache.near.NearCacheBackend;
import io.github.litellmcache.callback.CallbackDispatcher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The cache's state as Micrometer meters, which the registry reads when it publishes, never a call:
 * <ul>
 *   <li>the gauge {@value #AVAILABLE} of a remote backend, tagged {@code backend}: 0 while its read circuit breaker is
 *       not closed and calls skip it, 1 otherwise (writes skipped while reads answer leave it 1); read past the
 *       cool-down, it tries the backend in the background, so that its next read tells whether the backend answers
 *       again even when no call comes ({@link GuardedBackend#isAvailableTryingInBackground()});
 *   <li>the gauges {@value #ENTRIES}, {@value #MEMORY_USED} and {@value #MEMORY_MAX}, and the counter
 *       {@value #EVICTIONS}, of the local cache and of a near tier, tagged {@code backend} ({@code local},
 *       {@code near}) ({@link TierUsage});
 *   <li>the counter {@value #CALLBACKS_DROPPED}, the call events that callbacks never got.
 * </ul>
 *
 * <p>The backend meters are those of the backend that calls use: when {@code LlmCache.update} makes another, they are
 * removed and registered again for it, so that no meter tells of a replaced backend; the counter {@value #EVICTIONS}
 * goes on from the count of the tier replaced, never back, for the life of the cache. Meters hold what they read
 * weakly, as Micrometer's gauges do, and this holds the backend's guard weakly too.
 */
public final class CacheStateMetrics implements MeterBinder {

    private static final Log logger = LogFactory.getLog(CacheStateMetrics.class);

    /** Whether calls use a remote backend: 0 while its read circuit breaker is open or half-open. */
    public static final String AVAILABLE = "litellm.cache.backend.available";

    /** The entries of an in-process tier. */
    public static final String ENTRIES = "litellm.cache.entries";

    /** The estimated size of an in-process tier's entries, as its memory bound counts it. */
    public static final String MEMORY_USED = "litellm.cache.memory.used";

    /** The memory bound of an in-process tier. */
    public static final String MEMORY_MAX = "litellm.cache.memory.max";

    /** The entries that an in-process tier's bounds evicted. */
    public static final String EVICTIONS = "litellm.cache.evictions";

    /** The call events dropped, not given to callbacks. */
    public static final String CALLBACKS_DROPPED = "litellm.cache.callbacks.dropped";

    private final CallbackDispatcher callbacks;

    /** Each registry bound, with the backend meters registered in it. */
    private final Map<MeterRegistry, List<Meter>> registries = new HashMap<>();

    private WeakReference<GuardedBackend> current = new WeakReference<>(null);

    /** The evictions of each in-process tier ({@code local}, {@code near}) counted for the life of the cache. */
    private final Map<String, TierEvictions> evictions = new HashMap<>();

    /** Follows the backends that {@code guards} guard, and counts what {@code callbacks} dropped. */
    @SuppressWarnings("this-escape")
    public CacheStateMetrics(BackendGuards guards, CallbackDispatcher callbacks) {
        this.callbacks = callbacks;
        guards.onGuarded(this::follow);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        FunctionCounter.builder(CALLBACKS_DROPPED, this.callbacks, CallbackDispatcher::droppedEvents)
                .description("Call events dropped, beyond the bounds of those waiting for callbacks")
                .register(registry);
        this.registries.put(registry, meters(registry, this.current.get()));
    }

    private synchronized void follow(GuardedBackend guard) {
        this.current = new WeakReference<>(guard);
        Map<String, TierUsage> tiers = tiers(guard.backend());
        tiers.keySet().forEach(this::tierEvictions);
        this.evictions.forEach((name, evictions) -> evictions.follow(tiers.get(name)));
        this.registries.replaceAll((registry, meters) -> {
            meters.forEach(registry::remove);
            return meters(registry, guard);
        });
    }

    private TierEvictions tierEvictions(String tier) {
        return this.evictions.computeIfAbsent(tier, name -> new TierEvictions());
    }

    /**
     * The meters of {@code guard}'s backend, registered in {@code registry}: those it took when it refuses one (a meter
     * of the same name and other tags), as metrics never fail an update.
     */
    private List<Meter> meters(MeterRegistry registry, @Nullable GuardedBackend guard) {
        List<Meter> meters = new ArrayList<>();
        if (guard == null) {
            return meters;
        }
        CacheBackend backend = guard.backend();
        try {
            if (!backend.isInProcess()) {
                meters.add(Gauge.builder(AVAILABLE, guard, CacheStateMetrics::available)
                        .description(
                                "Whether calls use the backend: 0 while its read circuit breaker is open or half-open")
                        .tag("backend", backend.name())
                        .register(registry));
            }
            tiers(backend).forEach((name, usage) -> tier(registry, name, usage, meters));
        } catch (RuntimeException ex) {
            logger.warn("Meters of the " + backend.name() + " cache backend were not registered: " + ex.getMessage());
        }
        return meters;
    }

    /** The in-process tiers of {@code backend}, by the name they are tagged with: the local cache, or a near tier. */
    private static Map<String, TierUsage> tiers(CacheBackend backend) {
        if (backend instanceof LocalCacheBackend local) {
            return Map.of(local.name(), local.usage());
        }
        if (backend instanceof NearCacheBackend near) {
            return Map.of(GuardedBackend.NEAR, near.nearTierUsage());
        }
        return Map.of();
    }

    private static double available(GuardedBackend guard) {
        return guard.isAvailableTryingInBackground() ? 1 : 0;
    }

    private void tier(MeterRegistry registry, String name, TierUsage usage, List<Meter> meters) {
        meters.add(Gauge.builder(ENTRIES, usage, TierUsage::entries)
                .description("Entries of the in-process cache")
                .tag("backend", name)
                .register(registry));
        meters.add(Gauge.builder(MEMORY_USED, usage, TierUsage::bytes)
                .description("Estimated size of the entries, as the memory bound counts it")
                .baseUnit(BaseUnits.BYTES)
                .tag("backend", name)
                .register(registry));
        meters.add(Gauge.builder(MEMORY_MAX, usage, TierUsage::maxBytes)
                .description("Memory bound of the in-process cache")
                .baseUnit(BaseUnits.BYTES)
                .tag("backend", name)
                .register(registry));
        meters.add(FunctionCounter.builder(EVICTIONS, tierEvictions(name), TierEvictions::count)
                .description("Entries evicted by the bounds of the in-process cache")
                .tag("backend", name)
                .register(registry));
    }

    /**
     * The evictions of one in-process tier across the backends that {@code LlmCache.update} switched between, so that
     * the counter never goes back (a registry would read a reset): those of the tier in use and of each tier replaced,
     * which calls still in flight on it may go on making after the switch. The tiers are held weakly, as the gauges
     * hold theirs; each read adds what every tier evicted since the last one, and forgets the tiers collected since.
     */
    private static final class TierEvictions {

        /** The evictions of the tiers followed, as last read. */
        private long counted;

        private final List<Followed> tiers = new ArrayList<>();

        /** Counts on {@code usage} too, unless it is {@code null} (the backend in use has no such tier). */
        synchronized void follow(@Nullable TierUsage usage) {
            update();
            if (usage != null && this.tiers.stream().noneMatch(tier -> tier.usage.get() == usage)) {
                this.tiers.add(new Followed(usage));
            }
        }

        synchronized double count() {
            update();
            return this.counted;
        }

        private void update() {
            this.tiers.removeIf(tier -> {
                TierUsage usage = tier.usage.get();
                if (usage == null) {
                    return true;
                }
                long evictions = usage.evictions();
                this.counted += evictions - tier.read;
                tier.read = evictions;
                return false;
            });
        }
    }

    /** A tier followed weakly, and its evictions as last read. */
    private static final class Followed {

        private final WeakReference<TierUsage> usage;

        private long read;

        Followed(TierUsage usage) {
            this.usage = new WeakReference<>(usage);
        }
    }
}
