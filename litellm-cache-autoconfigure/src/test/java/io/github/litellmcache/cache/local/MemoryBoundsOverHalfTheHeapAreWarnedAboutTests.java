package io.github.litellmcache.cache.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.LocalLimits;
import io.github.litellmcache.cache.NearCacheSettings;
import io.github.litellmcache.cache.near.NearCacheBackend;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;

/**
 * A {@code max-memory} above half of the JVM's maximum heap lets the cache fill the heap before it evicts: it is
 * warned about, naming the property and the heap, when the backend is made (at startup and by {@code update}); the
 * cache still works. The defaults are not.
 */
@ExtendWith(OutputCaptureExtension.class)
class MemoryBoundsOverHalfTheHeapAreWarnedAboutTests extends AbstractCachedApplicationTests {

    private static final String WARNING = "is more than half of this JVM's maximum heap ("
            + (Runtime.getRuntime().maxMemory() >> 20) + "MB)";

    private static final DataSize THREE_QUARTERS_OF_THE_HEAP =
            DataSize.ofMegabytes((Runtime.getRuntime().maxMemory() >> 20) * 3 / 4);

    private final ChatCompletionRequest question = question("How much heap may a cache take?");

    @Test
    void aLocalMaxMemoryOverHalfTheHeapIsWarnedAboutAtStartupAndTheCacheStillServes(CapturedOutput output) {
        applicationRunner()
                .withPropertyValues("litellm.cache.local.max-memory=" + THREE_QUARTERS_OF_THE_HEAP.toMegabytes() + "MB")
                .run(context -> {
                    assertThat(output.getAll())
                            .containsOnlyOnce("litellm.cache.local.max-memory ("
                                    + THREE_QUARTERS_OF_THE_HEAP.toMegabytes() + "MB) " + WARNING)
                            .contains("Lower litellm.cache.local.max-memory, or give the JVM a larger heap (-Xmx).");
                    CompletionService service = context.getBean(CompletionService.class);
                    service.completion(this.question);
                    assertThat(service.completion(this.question).cacheHit()).isTrue();
                });
    }

    @Test
    void anUpdateToALocalMaxMemoryOverHalfTheHeapIsWarnedAbout(CapturedOutput output) {
        applicationRunner().run(context -> {
            LlmCache cache = context.getBean(LlmCache.class);
            assertThat(output.getAll()).doesNotContain(WARNING);
            cache.update(cache.settings().toBuilder()
                    .local(new LocalLimits(LocalLimits.DEFAULT_MAXIMUM_SIZE, THREE_QUARTERS_OF_THE_HEAP))
                    .build());
            assertThat(output.getAll()).containsOnlyOnce("litellm.cache.local.max-memory (");
        });
    }

    @Test
    void aNearMaxMemoryOverHalfTheHeapIsWarnedAbout(CapturedOutput output) {
        NearCacheBackend.bounded(
                new LocalCacheBackend(LocalLimits.DEFAULTS),
                new NearCacheSettings(true, THREE_QUARTERS_OF_THE_HEAP, Duration.ofSeconds(30)));
        assertThat(output.getAll())
                .containsOnlyOnce("litellm.cache.near.max-memory (")
                .contains(WARNING);
    }

    @Test
    void boundsUpToHalfTheHeapAreNotWarnedAbout(CapturedOutput output) {
        DataSize half = DataSize.ofBytes(Runtime.getRuntime().maxMemory() / 2);
        new LocalCacheBackend(new LocalLimits(LocalLimits.DEFAULT_MAXIMUM_SIZE, half));
        NearCacheBackend.bounded(
                new LocalCacheBackend(LocalLimits.DEFAULTS), new NearCacheSettings(true, half, Duration.ofSeconds(30)));
        applicationRunner()
                .run(context -> context.getBean(CompletionService.class).completion(this.question));
        assertThat(output.getAll()).doesNotContain(WARNING);
    }
}
