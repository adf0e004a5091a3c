package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.local.LocalCacheBackend;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@link LlmCache}, the runtime switch, with the starter and a real HTTP fake of the provider. */
class LlmCacheTests extends AbstractCachedApplicationTests {

    private final ApplicationContextRunner contextRunner = applicationRunner();

    @Test
    void disableStopsReadsAndWritesAndEnableResumesThem() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            service.completion(question("q"));
            cache.disable();
            assertThat(cache.isEnabled()).isFalse();
            ChatCompletion whileDisabled = service.completion(question("q"));
            assertThat(whileDisabled.cacheHit()).isFalse();
            assertThat(whileDisabled.cacheKey()).isNull();
            service.completion(question("written while disabled?"));
            cache.enable();
            assertThat(service.completion(question("q")).cacheHit()).isTrue();
            assertThat(service.completion(question("written while disabled?")).cacheHit())
                    .isFalse();
        });
    }

    @Test
    void enabledFalsePropertyStartsDisabled() {
        this.contextRunner.withPropertyValues("litellm.cache.enabled=false").run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("q"));
            assertThat(service.completion(question("q")).cacheHit()).isFalse();
            context.getBean(LlmCache.class).enable();
            service.completion(question("q"));
            assertThat(service.completion(question("q")).cacheHit()).isTrue();
        });
    }

    @Test
    void clearRemovesEntries() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("q"));
            context.getBean(LlmCache.class).clear();
            assertThat(service.completion(question("q")).cacheHit()).isFalse();
        });
    }

    @Test
    void updateAppliesNewSettingsToLaterCalls() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            service.completion(question("q"));
            CacheBackend before = cache.backend();
            cache.update(cache.settings().toBuilder().namespace("v2").build());
            assertThat(cache.backend())
                    .as("same type and location keep the backend")
                    .isSameAs(before);
            assertThat(service.completion(question("q")).cacheHit())
                    .as("another namespace")
                    .isFalse();
            cache.update(cache.settings().toBuilder()
                    .supportedCallTypes(List.of(CallType.EMBEDDING))
                    .build());
            service.completion(question("r"));
            assertThat(service.completion(question("r")).cacheHit()).isFalse();
            assertThat(cache.settings().namespace()).isEqualTo("v2");
        });
    }

    @Test
    void updateOfTheLocalMaximumSizeAppliesToLaterCalls() {
        this.contextRunner
                .withPropertyValues("litellm.cache.local.maximum-size=1000")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    LlmCache cache = context.getBean(LlmCache.class);
                    CacheBackend before = cache.backend();
                    cache.update(cache.settings().toBuilder()
                            .local(new LocalLimits(0))
                            .build());
                    assertThat(cache.backend()).isNotSameAs(before);
                    service.completion(question("q"));
                    assertThat(service.completion(question("q")).cacheHit())
                            .as("a local cache of size 0 keeps nothing")
                            .isFalse();
                    cache.update(cache.settings().toBuilder()
                            .local(new LocalLimits(10))
                            .build());
                    service.completion(question("q"));
                    assertThat(service.completion(question("q")).cacheHit()).isTrue();
                });
    }

    @Test
    void updateOfTheTimeoutsAloneKeepsTheLocalCacheWithItsEntries() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            service.completion(question("q"));
            CacheBackend before = cache.backend();
            Timeouts slower = new Timeouts(Duration.ofSeconds(2), Duration.ofMinutes(1));
            cache.update(cache.settings().toBuilder().timeouts(slower).build());
            assertThat(cache.settings().timeouts()).isEqualTo(slower);
            assertThat(cache.backend())
                    .as("no deadline guards an in-process cache")
                    .isSameAs(before);
            assertThat(service.completion(question("q")).cacheHit()).isTrue();
        });
    }

    @Test
    void enableWithSettingsAppliesThem() {
        this.contextRunner.withPropertyValues("litellm.cache.enabled=false").run(context -> {
            LlmCache cache = context.getBean(LlmCache.class);
            cache.enable(CacheSettings.builder().ttl(Duration.ofMinutes(5)).build());
            assertThat(cache.isEnabled()).isTrue();
            assertThat(cache.settings().ttl()).isEqualTo(Duration.ofMinutes(5));
        });
    }

    @Test
    void updateWhoseBackendCannotBeCreatedFailsAndKeepsTheCurrentSettings() {
        this.contextRunner.run(context -> {
            LlmCache cache = context.getBean(LlmCache.class);
            assertThatExceptionOfType(CacheConfigurationException.class)
                    .isThrownBy(() -> cache.update(CacheSettings.builder()
                            .type(CacheType.S3)
                            .s3BucketName("bucket")
                            .build()))
                    .withMessageContaining("no S3 client")
                    .satisfies(error -> assertThat(error.action()).contains("litellm.cache.s3.region-name"));
            assertThat(cache.settings().type()).isEqualTo(CacheType.LOCAL);
        });
    }

    @Test
    void switchingAtRuntimeUnderConcurrentCallsNeverFailsACallNorServesAnotherRequestsAnswer() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            ExecutorService callers = Executors.newFixedThreadPool(8);
            AtomicBoolean running = new AtomicBoolean(true);
            List<Future<Integer>> results = new ArrayList<>();
            try {
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    results.add(callers.submit(() -> {
                        int calls = 0;
                        while (running.get()) {
                            String prompt = "prompt-" + thread + "-" + (calls % 5);
                            ChatCompletion answer = (calls % 2 == 0)
                                    ? service.completion(question(prompt))
                                    : service.acompletion(question(prompt)).block();
                            assertThat(answer.content())
                                    .as(() -> answer + " / " + answer.choices())
                                    .endsWith(" to " + prompt);
                            calls++;
                        }
                        return calls;
                    }));
                }
                for (int i = 0; i < 50; i++) {
                    switch (i % 5) {
                        case 0 -> cache.disable();
                        case 1 -> cache.enable();
                        case 2 -> cache.clear();
                        case 3 ->
                            cache.update(cache.settings().toBuilder()
                                    .namespace("round-" + i)
                                    .build());
                        default ->
                            cache.update(cache.settings().toBuilder()
                                    .host("redis-" + i)
                                    .build());
                    }
                    Thread.sleep(10);
                }
            } finally {
                running.set(false);
                callers.shutdown();
            }
            int total = 0;
            for (Future<Integer> result : results) {
                total += result.get();
            }
            assertThat(total).isPositive();
        });
    }

    @Test
    void updateNeverClosesTheBackendTheCacheStartedWith() {
        this.contextRunner.run(context -> {
            LlmCache cache = context.getBean(LlmCache.class);
            CacheBackend initial = cache.backend();
            cache.update(CacheSettings.defaults().toBuilder()
                    .type(CacheType.LOCAL)
                    .local(new LocalLimits(5))
                    .build());
            assertThat(cache.backend()).isNotSameAs(initial);
            initial.put(new CacheKey(null, "k"), new CacheEntry(chat(), Instant.now()), null);
            assertThat(initial.get(new CacheKey(null, "k"))).as("still usable").isNotNull();
        });
    }

    @Test
    void aLocalBackendThatUpdateReplacedReleasesItsEntriesOnceClosed() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            cache.update(
                    cache.settings().toBuilder().local(new LocalLimits(100)).build());
            LocalCacheBackend replaced = (LocalCacheBackend) cache.backend();
            service.completion(question("q"));
            assertThat(replaced.size()).isOne();
            cache.update(
                    cache.settings().toBuilder().local(new LocalLimits(200)).build());
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(replaced.size())
                            .as("entries of a closed backend, which the guard of the replaced backend still references")
                            .isZero());
            assertThat(service.completion(question("q")).cacheHit())
                    .as("the new backend starts empty")
                    .isFalse();
        });
    }

    private static ChatCompletion chat() {
        return new ChatCompletion(
                "id", 1L, "m", List.of(new ChatCompletion.Choice(0, ChatMessage.assistant("x"), "stop")), null, null);
    }
}
