package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.Usage;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.CountingCompletionService;
import io.github.litellmcache.testsupport.RedisServerExtension;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@link LlmCache#clear()} while calls are in flight: the answer of a call begun before the clear is not stored once
 * the clear has returned, whether it is a completion, a stream or embedding items, and whether its write had begun
 * when the clear did, on a local backend, or on Redis or S3 behind a near tier; and a call begun after the clear never
 * takes the answer of an identical call begun before.
 */
class NoAnswerFromBeforeAClearIsStoredAfterItTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @RegisterExtension
    static final S3ProxyServerExtension s3 = S3ProxyServerExtension.withBucket("cleared");

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withUserConfiguration(HeldProvider.class);

    @Test
    void aCompletionAnsweredAfterTheClearIsNotStored() {
        this.contextRunner.run(context -> {
            HeldProvider provider = context.getBean(HeldProvider.class);
            CompletionService service = context.getBean(CompletionService.class);
            CompletableFuture<ChatCompletion> before =
                    CompletableFuture.supplyAsync(() -> service.completion(question("the old prompt")));
            provider.awaitAsked();

            context.getBean(LlmCache.class).clear();
            provider.release();

            assertThat(before.get(10, TimeUnit.SECONDS).content()).isEqualTo("answer 1");
            ChatCompletion after = service.completion(question("the old prompt"));
            assertThat(after.cacheHit()).isFalse();
            assertThat(after.content()).isEqualTo("answer 2");
        });
    }

    @Test
    void onRedisWithANearTierAReactiveCompletionAnsweredAfterTheClearIsNotStored() {
        this.contextRunner
                .withPropertyValues(redis.cacheProperties())
                .withPropertyValues("litellm.cache.near.enabled=true")
                .run(context -> {
                    HeldProvider provider = context.getBean(HeldProvider.class);
                    CompletionService service = context.getBean(CompletionService.class);
                    CompletableFuture<ChatCompletion> before =
                            service.acompletion(question("the old prompt")).toFuture();
                    provider.awaitAsked();

                    context.getBean(LlmCache.class).clear();
                    provider.release();

                    assertThat(before.get(10, TimeUnit.SECONDS).content()).isEqualTo("answer 1");
                    assertThat(redis.admin().keys("litellm:*"))
                            .as("the entries, leases left out")
                            .noneMatch(key -> !key.startsWith("litellm:lock/"));
                    ChatCompletion after =
                            service.acompletion(question("the old prompt")).block();
                    assertThat(after.cacheHit()).isFalse();
                    assertThat(after.content()).isEqualTo("answer 2");
                });
    }

    @Test
    void onS3WithANearTierAStreamEndingAfterTheClearIsNotStored() {
        this.contextRunner
                .withPropertyValues(s3.cacheProperties())
                .withPropertyValues("litellm.cache.near.enabled=true", "litellm.cache.timeout=5s")
                .run(NoAnswerFromBeforeAClearIsStoredAfterItTests::aStreamEndingAfterTheClearIsNotStored);
    }

    @Test
    void aStreamEndingAfterTheClearIsNotStored() {
        this.contextRunner.run(NoAnswerFromBeforeAClearIsStoredAfterItTests::aStreamEndingAfterTheClearIsNotStored);
    }

    /** A stream that the provider ends after the clear began is its caller's, and stored nowhere. */
    private static void aStreamEndingAfterTheClearIsNotStored(AssertableApplicationContext context) throws Exception {
        HeldProvider provider = context.getBean(HeldProvider.class);
        CompletionService service = context.getBean(CompletionService.class);
        CompletableFuture<List<ChatCompletionChunk>> before =
                service.streamCompletion(question("a stream")).collectList().toFuture();
        provider.awaitAsked();

        context.getBean(LlmCache.class).clear();
        provider.release();

        assertThat(text(before.get(10, TimeUnit.SECONDS))).isEqualTo("answer 1");
        List<ChatCompletionChunk> after =
                service.streamCompletion(question("a stream")).collectList().block();
        assertThat(after).noneMatch(ChatCompletionChunk::cacheHit);
        assertThat(text(after)).isEqualTo("answer 2");
    }

    @Test
    void embeddingItemsAnsweredAfterTheClearAreNotStored() {
        this.contextRunner.run(context -> {
            HeldProvider provider = context.getBean(HeldProvider.class);
            CompletionService service = context.getBean(CompletionService.class);
            CompletableFuture<EmbeddingResponse> before =
                    service.aembedding(embedding("one", "two")).toFuture();
            provider.awaitAsked();

            context.getBean(LlmCache.class).clear();
            provider.release();

            assertThat(before.get(10, TimeUnit.SECONDS).data()).hasSize(2);
            EmbeddingResponse after = service.embedding(embedding("one", "two"));
            assertThat(after.cacheHit()).isFalse();
            assertThat(provider.embeddingCalls()).isEqualTo(2);
        });
    }

    @Test
    void aWriteUnderWayWhenTheClearBeginsIsRemovedByIt() {
        this.contextRunner.withUserConfiguration(HeldWrites.class).run(context -> {
            HeldProvider provider = context.getBean(HeldProvider.class);
            HeldWrites writes = context.getBean(HeldWrites.class);
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            provider.release();
            CompletableFuture<ChatCompletion> before =
                    CompletableFuture.supplyAsync(() -> service.completion(question("the old prompt")));
            assertThat(writes.writing.await(10, TimeUnit.SECONDS)).isTrue();

            ClearFence.Generation generation = cache.generation();
            CompletableFuture<Void> clear = CompletableFuture.runAsync(cache::clear);
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.generation() != generation);
            writes.release.countDown();
            clear.get(10, TimeUnit.SECONDS);

            assertThat(before.get(10, TimeUnit.SECONDS).content()).isEqualTo("answer 1");
            assertThat(service.completion(question("the old prompt")).cacheHit())
                    .isFalse();
        });
    }

    @Test
    void aCallBegunAfterTheClearDoesNotTakeTheAnswerOfAnIdenticalCallBegunBefore() {
        this.contextRunner.run(context -> {
            HeldProvider provider = context.getBean(HeldProvider.class);
            CompletionService service = context.getBean(CompletionService.class);
            CompletableFuture<ChatCompletion> before =
                    service.acompletion(question("the old prompt")).toFuture();
            provider.awaitAsked();

            context.getBean(LlmCache.class).clear();
            CompletableFuture<ChatCompletion> after =
                    service.acompletion(question("the old prompt")).toFuture();
            provider.release();

            ChatCompletion afterAnswer = after.get(10, TimeUnit.SECONDS);
            assertThat(afterAnswer.cacheHit()).isFalse();
            assertThat(afterAnswer.id())
                    .isNotEqualTo(before.get(10, TimeUnit.SECONDS).id());
        });
    }

    private static EmbeddingRequest embedding(String... input) {
        return EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input(List.of(input))
                .build();
    }

    /** A provider whose calls wait until the test releases them; it tells when it was first asked. */
    @Configuration(proxyBeanMethods = false)
    static class HeldProvider {

        private final CountDownLatch asked = new CountDownLatch(1);

        private final CountDownLatch released = new CountDownLatch(1);

        private final AtomicInteger embeddingCalls = new AtomicInteger();

        @Bean
        CompletionService heldCompletionService() {
            return new CountingCompletionService() {

                @Override
                public ChatCompletion completion(ChatCompletionRequest request) {
                    held();
                    return super.completion(request);
                }

                @Override
                public Mono<ChatCompletion> acompletion(ChatCompletionRequest request) {
                    return Mono.fromSupplier(() -> completion(request)).subscribeOn(Schedulers.boundedElastic());
                }

                @Override
                public EmbeddingResponse embedding(EmbeddingRequest request) {
                    held();
                    HeldProvider.this.embeddingCalls.incrementAndGet();
                    List<EmbeddingResponse.Embedding> data = IntStream.range(
                                    0, request.input().size())
                            .mapToObj(index -> new EmbeddingResponse.Embedding(index, new float[] {index, 1}))
                            .toList();
                    return new EmbeddingResponse(data, request.model(), new Usage(1, 0, 1));
                }

                @Override
                public Mono<EmbeddingResponse> aembedding(EmbeddingRequest request) {
                    return Mono.fromSupplier(() -> embedding(request)).subscribeOn(Schedulers.boundedElastic());
                }
            };
        }

        void awaitAsked() throws InterruptedException {
            assertThat(this.asked.await(10, TimeUnit.SECONDS)).isTrue();
        }

        void release() {
            this.released.countDown();
        }

        int embeddingCalls() {
            return this.embeddingCalls.get();
        }

        private void held() {
            this.asked.countDown();
            try {
                assertThat(this.released.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }

    /** A local backend whose first write waits until the test releases it; it tells when that write began. */
    @Configuration(proxyBeanMethods = false)
    static class HeldWrites {

        final CountDownLatch writing = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        private final AtomicBoolean first = new AtomicBoolean(true);

        @Bean
        CacheBackend heldWritesBackend() {
            return new LocalBackedBackend("held writes") {

                @Override
                public void put(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
                    if (HeldWrites.this.first.getAndSet(false)) {
                        HeldWrites.this.writing.countDown();
                        try {
                            HeldWrites.this.release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    super.put(key, entry, ttl);
                }
            };
        }
    }
}
