package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.Usage;
import io.github.litellmcache.completion.WireFormat;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.CountingCompletionService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Streamed completions: passed on as they arrive, stored with their chunks, replayed chunk for chunk. */
class StreamCacheTests extends AbstractCachedApplicationTests {

    private static final JsonMapper JSON = WireFormat.jsonMapper();

    private final ApplicationContextRunner contextRunner = applicationRunner();

    @Test
    void replayedStreamHasTheOriginalChunks() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            List<ChatCompletionChunk> original =
                    service.streamCompletion(question("q")).collectList().block();
            List<ChatCompletionChunk> replayed =
                    service.streamCompletion(question("q")).collectList().block();
            assertThat(this.provider.requestCount()).isEqualTo(1);
            assertThat(original)
                    .hasSizeGreaterThan(3)
                    .allSatisfy(chunk -> assertThat(chunk.cacheHit()).isFalse());
            assertThat(replayed)
                    .hasSameSizeAs(original)
                    .allSatisfy(chunk -> assertThat(chunk.cacheHit()).isTrue());
            for (int i = 0; i < original.size(); i++) {
                assertThat(replayed.get(i).withCacheHit(false)).isEqualTo(original.get(i));
            }
        });
    }

    @Test
    void usageChunkWithoutChoicesIsStoredAndReplayed() {
        ChatCompletionRequest withUsage = ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .message(ChatMessage.user("q"))
                .param("stream_options", Map.of("include_usage", true))
                .build();
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            List<ChatCompletionChunk> original =
                    service.streamCompletion(withUsage).collectList().block();
            List<ChatCompletionChunk> replayed =
                    service.streamCompletion(withUsage).collectList().block();
            assertThat(this.provider.requestCount()).isEqualTo(1);
            ChatCompletionChunk usageChunk = replayed.get(replayed.size() - 1);
            assertThat(usageChunk.cacheHit()).isTrue();
            assertThat(usageChunk.choices()).isEmpty();
            assertThat(usageChunk.usage()).isEqualTo(new Usage(10, 1, 11));
            assertThat(usageChunk.withCacheHit(false)).isEqualTo(original.get(original.size() - 1));
            assertThat(replayed).hasSameSizeAs(original);
            ChatCompletion completion = service.completion(withUsage);
            assertThat(completion.cacheHit()).isTrue();
            assertThat(completion.usage()).isEqualTo(new Usage(10, 1, 11));
            assertThat(completion.content()).isEqualTo("answer 1 to q");
        });
    }

    @Test
    void completionIsServedFromAStoredStreamWithItsUsage() {
        ChatCompletionRequest withUsage =
                question("q", builder -> builder.param("stream_options", Map.of("include_usage", true)));
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            List<ChatCompletionChunk> streamed =
                    service.streamCompletion(withUsage).collectList().block();
            ChatCompletion completion = service.completion(withUsage);
            assertThat(completion.cacheHit()).isTrue();
            assertThat(completion.content()).isEqualTo(text(streamed)).isEqualTo("answer 1 to q");
            assertThat(completion.id()).isEqualTo(streamed.get(0).id());
            assertThat(completion.choices().get(0).finishReason()).isEqualTo("stop");
            assertThat(this.provider.requestCount()).isEqualTo(1);
        });
    }

    @Test
    void streamIsServedFromAStoredCompletion() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletion completion = service.acompletion(question("q")).block();
            List<ChatCompletionChunk> replayed =
                    service.streamCompletion(question("q")).collectList().block();
            assertThat(replayed)
                    .allSatisfy(chunk -> assertThat(chunk.cacheHit()).isTrue());
            assertThat(text(replayed)).isEqualTo(completion.content());
            assertThat(replayed.get(0).choices().get(0).delta().role()).isEqualTo("assistant");
            assertThat(replayed.get(replayed.size() - 1).choices().get(0).finishReason())
                    .isEqualTo("stop");
            assertThat(this.provider.requestCount()).isEqualTo(1);
        });
    }

    @Test
    void aStreamAnsweredFromAStoredCompletionCarriesItsUsageOnlyInALastChunkWithoutChoicesWhenAskedForIt() {
        this.contextRunner
                .withUserConfiguration(CallsExpectingUsageTests.KeyWithoutStreamOptions.class)
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    ChatCompletion stored = service.completion(question("q"));

                    List<JsonNode> plain = wire(service.streamCompletion(question("q")));
                    List<JsonNode> asked = wire(service.streamCompletion(
                            question("q", builder -> builder.param("stream_options", Map.of("include_usage", true)))));

                    assertThat(plain).allSatisfy(chunk -> {
                        assertThat(chunk.has("usage")).isFalse();
                        assertThat(chunk.path("choices")).hasSize(1);
                    });
                    assertThat(plain.get(plain.size() - 1)
                                    .at("/choices/0/finish_reason")
                                    .asString())
                            .isEqualTo("stop");
                    assertThat(asked.subList(0, asked.size() - 1)).isEqualTo(plain);
                    JsonNode usageChunk = asked.get(asked.size() - 1);
                    assertThat(usageChunk.path("choices").isArray()).isTrue();
                    assertThat(usageChunk.path("choices")).isEmpty();
                    assertThat(usageChunk.path("usage")).isEqualTo(JSON.valueToTree(stored.usage()));
                    assertThat(usageChunk.path("id").asString()).isEqualTo(stored.id());
                    assertThat(this.provider.requestCount()).isEqualTo(1);
                });
    }

    /** The chunks of a stream served from the cache, as their JSON. */
    private static List<JsonNode> wire(Flux<ChatCompletionChunk> stream) {
        List<ChatCompletionChunk> chunks = stream.collectList().block();
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.cacheHit()).isTrue());
        return chunks.stream().map(chunk -> (JsonNode) JSON.valueToTree(chunk)).toList();
    }

    @Test
    void cancelledStreamStoresNothing() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            List<ChatCompletionChunk> firstTwo = service.streamCompletion(question("q"))
                    .take(2)
                    .collectList()
                    .block();
            assertThat(firstTwo).hasSize(2);
            List<ChatCompletionChunk> again =
                    service.streamCompletion(question("q")).collectList().block();
            assertThat(again).allSatisfy(chunk -> assertThat(chunk.cacheHit()).isFalse());
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void failedStreamStoresNothing() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            this.provider.fail(500, "{\"error\":{\"message\":\"boom\"}}");
            assertThat(service.streamCompletion(question("q"))
                            .collectList()
                            .onErrorReturn(List.of())
                            .block())
                    .isEmpty();
            this.provider.succeed();
            assertThat(service.streamCompletion(question("q")).blockFirst().cacheHit())
                    .isFalse();
        });
    }

    /**
     * The provider sends the rest of its stream only once the caller has its first chunk: a cache that
     * held chunks back until the stream ended would never hand it over.
     */
    @Test
    void theFirstChunkReachesTheCallerBeforeTheProviderSendsTheNext() {
        this.contextRunner.withUserConfiguration(GatedStreams.class).run(context -> {
            GatedStreams gated = context.getBean(GatedStreams.class);
            CompletionService service = context.getBean(CompletionService.class);
            AtomicInteger received = new AtomicInteger();

            List<ChatCompletionChunk> chunks = service.streamCompletion(question("gated"))
                    .doOnNext(chunk -> {
                        if (received.incrementAndGet() == 1) {
                            gated.rest.complete(null);
                        }
                    })
                    .collectList()
                    .block(Duration.ofSeconds(30));

            assertThat(chunks).hasSize(3);
            assertThat(service.streamCompletion(question("gated")).blockLast().cacheHit())
                    .as("the whole stream stored once it ended")
                    .isTrue();
        });
    }

    @Test
    void streamThatFailsMidwayStoresNothing() {
        this.contextRunner.withUserConfiguration(MidwayFailure.class).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            List<ChatCompletionChunk> received = new java.util.ArrayList<>();
            assertThat(service.streamCompletion(question("q"))
                            .doOnNext(received::add)
                            .then()
                            .onErrorResume(error -> Mono.empty())
                            .block())
                    .isNull();
            assertThat(received)
                    .as("chunks before the failure reached the caller")
                    .hasSize(2);
            assertThat(service.completion(question("q")).cacheHit())
                    .as("nothing stored")
                    .isFalse();
            assertThat(context.getBean(MidwayFailure.class).streams).hasValue(1);
        });
    }

    @Test
    void streamWithToolCallsIsPassedOnButNotStored() {
        this.contextRunner.withUserConfiguration(ToolCallStreams.class).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            List<ChatCompletionChunk> first =
                    service.streamCompletion(question("weather?")).collectList().block();
            assertThat(first.get(0).choices().get(0).delta().toolCalls()).isNotEmpty();
            ChatCompletion completion = service.completion(question("weather?"));
            assertThat(completion.cacheHit())
                    .as("a tool-call stream is not stored")
                    .isFalse();
        });
    }

    @Test
    void aStreamWithAFunctionCallInPiecesAnswersStreamsButNotACompletion() {
        this.contextRunner.withUserConfiguration(FunctionCallStreams.class).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            List<ChatCompletionChunk> first =
                    service.streamCompletion(question("weather?")).collectList().block();
            List<ChatCompletionChunk> replay =
                    service.streamCompletion(question("weather?")).collectList().block();
            ChatCompletion completion = service.completion(question("weather?"));

            assertThat(replay)
                    .hasSameSizeAs(first)
                    .allSatisfy(chunk -> assertThat(chunk.cacheHit()).isTrue());
            assertThat(completion.cacheHit())
                    .as("the stored message keeps only the last piece of the arguments")
                    .isFalse();
        });
    }

    @Test
    void aFollowerOfAToolCallStreamGoesOnItsOwnAtItsFirstToolCall() {
        this.contextRunner.withUserConfiguration(SlowToolCallStreams.class).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            SlowToolCallStreams streams = context.getBean(SlowToolCallStreams.class);
            CompletableFuture<List<ChatCompletionChunk>> leader =
                    service.streamCompletion(question("weather?")).collectList().toFuture();
            await().atMost(Duration.ofSeconds(5)).until(() -> streams.calls.get() == 1);
            CompletableFuture<List<ChatCompletionChunk>> follower =
                    service.streamCompletion(question("weather?")).collectList().toFuture();
            await().atMost(Duration.ofSeconds(5)).until(() -> streams.calls.get() == 2);
            assertThat(leader)
                    .as("the follower called the provider before the leader's stream ended")
                    .isNotDone();
            assertThat(leader.get(20, TimeUnit.SECONDS)).hasSize(3);
            assertThat(follower.get(20, TimeUnit.SECONDS)).hasSize(3);
        });
    }

    @Test
    void aStreamWithAChunkThatCannotBeWrittenAsJsonIsPassedOnButNotStored() {
        this.contextRunner.withUserConfiguration(UnwritableChunks.class).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            List<ChatCompletionChunk> first =
                    service.streamCompletion(question("q")).collectList().block();
            assertThat(text(first)).isEqualTo("answer 1");
            List<ChatCompletionChunk> second =
                    service.streamCompletion(question("q")).collectList().block();
            assertThat(second).allSatisfy(chunk -> assertThat(chunk.cacheHit()).isFalse());
            assertThat(context.getBean(UnwritableChunks.class).streams).hasValue(2);
        });
    }

    /** Streams whose every chunk carries a field holding an object Jackson cannot write. */
    @Configuration(proxyBeanMethods = false)
    static class UnwritableChunks {

        /** An object whose only property fails when it is read. */
        static final class Unwritable {

            public String getValue() {
                throw new IllegalStateException("cannot be written");
            }
        }

        final AtomicInteger streams = new AtomicInteger();

        @Bean
        CompletionService unwritableChunksService() {
            return new CountingCompletionService() {
                @Override
                public Flux<ChatCompletionChunk> streamCompletion(ChatCompletionRequest request) {
                    UnwritableChunks.this.streams.incrementAndGet();
                    return super.streamCompletion(request)
                            .map(chunk -> new ChatCompletionChunk(
                                    chunk.id(),
                                    chunk.created(),
                                    chunk.model(),
                                    chunk.choices(),
                                    chunk.usage(),
                                    Map.of("x_debug", new Unwritable()),
                                    false));
                }
            };
        }
    }

    /** Streams whose chunks after the first are sent once {@link #rest} completes. */
    @Configuration(proxyBeanMethods = false)
    static class GatedStreams {

        final CompletableFuture<Void> rest = new CompletableFuture<>();

        @Bean
        CompletionService gatedService() {
            return new CountingCompletionService() {
                @Override
                public Flux<ChatCompletionChunk> streamCompletion(ChatCompletionRequest request) {
                    Flux<ChatCompletionChunk> chunks =
                            super.streamCompletion(request).cache();
                    return chunks.take(1)
                            .concatWith(Mono.fromFuture(GatedStreams.this.rest).thenMany(chunks.skip(1)));
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MidwayFailure {

        final java.util.concurrent.atomic.AtomicInteger streams = new java.util.concurrent.atomic.AtomicInteger();

        @Bean
        CompletionService failingMidwayService() {
            return new CountingCompletionService() {
                @Override
                public Flux<ChatCompletionChunk> streamCompletion(ChatCompletionRequest request) {
                    MidwayFailure.this.streams.incrementAndGet();
                    return super.streamCompletion(request)
                            .take(2)
                            .concatWith(Flux.error(new IllegalStateException("connection reset")));
                }
            };
        }
    }

    /**
     * Streams of three chunks: the role at once, a tool call after a second, and the finish reason
     * five seconds later; counts the streams.
     */
    @Configuration(proxyBeanMethods = false)
    static class SlowToolCallStreams {

        final AtomicInteger calls = new AtomicInteger();

        @Bean
        CompletionService slowToolCallingService() {
            return new CountingCompletionService() {
                @Override
                public Flux<ChatCompletionChunk> streamCompletion(ChatCompletionRequest request) {
                    SlowToolCallStreams.this.calls.incrementAndGet();
                    Map<String, Object> call = Map.of(
                            "index", 0, "id", "call_1", "function", Map.of("name", "weather", "arguments", "{}"));
                    return Flux.concat(
                            Mono.just(toolChunk(new ChatCompletionChunk.Delta("assistant", null), null)),
                            Mono.just(toolChunk(new ChatCompletionChunk.Delta(null, null, List.of(call)), null))
                                    .delayElement(Duration.ofSeconds(1)),
                            Mono.just(toolChunk(new ChatCompletionChunk.Delta(null, null), "tool_calls"))
                                    .delayElement(Duration.ofSeconds(5)));
                }
            };
        }

        private static ChatCompletionChunk toolChunk(ChatCompletionChunk.Delta delta, String finishReason) {
            return new ChatCompletionChunk(
                    "s", 1L, "m", List.of(new ChatCompletionChunk.Choice(0, delta, finishReason)), null, false);
        }
    }

    /** Streams a legacy {@code function_call}: its name, then its arguments in two pieces. */
    @Configuration(proxyBeanMethods = false)
    static class FunctionCallStreams {

        @Bean
        CompletionService functionCallingService() {
            return new CountingCompletionService() {
                @Override
                public Flux<ChatCompletionChunk> streamCompletion(ChatCompletionRequest request) {
                    return Flux.just(
                            functionCall(Map.of("name", "weather", "arguments", ""), null),
                            functionCall(Map.of("arguments", "{\"city\""), null),
                            functionCall(Map.of("arguments", ":\"Paris\"}"), "function_call"));
                }
            };
        }

        private static ChatCompletionChunk functionCall(Map<String, Object> piece, String finishReason) {
            ChatCompletionChunk.Delta delta =
                    new ChatCompletionChunk.Delta(null, null, null, Map.of("function_call", piece));
            return new ChatCompletionChunk(
                    "s", 1L, "m", List.of(new ChatCompletionChunk.Choice(0, delta, finishReason)), null, false);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ToolCallStreams {

        @Bean
        CompletionService toolCallingService() {
            return new CountingCompletionService() {
                @Override
                public Flux<ChatCompletionChunk> streamCompletion(ChatCompletionRequest request) {
                    Map<String, Object> call = Map.of(
                            "index", 0, "id", "call_1", "function", Map.of("name", "weather", "arguments", "{}"));
                    return Flux.just(
                            new ChatCompletionChunk(
                                    "s",
                                    1L,
                                    "m",
                                    List.of(new ChatCompletionChunk.Choice(
                                            0, new ChatCompletionChunk.Delta("assistant", null, List.of(call)), null)),
                                    null,
                                    false),
                            new ChatCompletionChunk(
                                    "s",
                                    1L,
                                    "m",
                                    List.of(new ChatCompletionChunk.Choice(
                                            0, new ChatCompletionChunk.Delta(null, null), "tool_calls")),
                                    null,
                                    false));
                }
            };
        }
    }
}
