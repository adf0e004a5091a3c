package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.callback.CallEvent;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RecordedCallEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * A stream whose chunks pass {@code litellm.cache.max-stream-size} is passed on whole but not stored, so
 * that the cache keeps no more of a long stream's chunks than that; its callbacks still get the whole answer
 * while its text stays within the size, and the answer cut at the size, with the whole usage, past it.
 */
class StreamOverMaxStreamSizeTests extends AbstractCachedApplicationTests {

    /** A question of 1,000 words: the fake answers it in about 1,000 chunks, over 64KB of JSON. */
    private static final String LONG_QUESTION =
            IntStream.range(0, 1000).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withUserConfiguration(ReportingConfiguration.class)
            .withPropertyValues("litellm.cache.max-stream-size=64KB");

    @Test
    void aStreamOverTheSizeIsPassedOnWholeButNotStored() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            List<ChatCompletionChunk> first = service.streamCompletion(question(LONG_QUESTION))
                    .collectList()
                    .block();
            assertThat(first).hasSizeGreaterThan(1000);
            assertThat(text(first)).isEqualTo("answer 1 to " + LONG_QUESTION);
            List<ChatCompletionChunk> second = service.streamCompletion(question(LONG_QUESTION))
                    .collectList()
                    .block();
            assertThat(second).allSatisfy(chunk -> assertThat(chunk.cacheHit()).isFalse());
            assertThat(text(second)).isEqualTo("answer 2 to " + LONG_QUESTION);
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void aFollowerOfAStreamOverTheSizeGoesOnItsOwnBeforeTheStreamEnds() {
        this.provider.chunkInterval(Duration.ofMillis(2));
        String longer = LONG_QUESTION + " " + LONG_QUESTION + " " + LONG_QUESTION;
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            CompletableFuture<List<ChatCompletionChunk>> leader =
                    service.streamCompletion(question(longer)).collectList().toFuture();
            this.provider.awaitRequests(1);
            CompletableFuture<List<ChatCompletionChunk>> follower =
                    service.streamCompletion(question(longer)).collectList().toFuture();
            this.provider.awaitRequests(2);
            assertThat(leader)
                    .as("the follower called the provider before the leader's stream of 6 s ended")
                    .isNotDone();
            assertThat(text(leader.get(30, TimeUnit.SECONDS))).isEqualTo("answer 1 to " + longer);
            assertThat(text(follower.get(30, TimeUnit.SECONDS))).isEqualTo("answer 2 to " + longer);
        });
    }

    @Test
    void aStreamRunOnForAFollowerIsCancelledOnceItGrowsOverTheSize() {
        this.provider.latency(Duration.ofMillis(300));
        this.provider.chunkInterval(Duration.ofMillis(3));
        String longer = LONG_QUESTION + " " + LONG_QUESTION;
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.streamCompletion(question(longer)).take(1).subscribe();
            this.provider.awaitRequests(1);
            List<ChatCompletionChunk> follower =
                    service.streamCompletion(question(longer)).collectList().block(Duration.ofSeconds(60));
            assertThat(text(follower)).isEqualTo("answer 2 to " + longer);
            assertThat(this.provider.cancelledStreams())
                    .as("the stream its leader left, which no caller waits for once it cannot be stored")
                    .isEqualTo(1);
        });
    }

    @Test
    void aStreamWithinTheSizeIsStored() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.streamCompletion(question("a short question")).blockLast();
            List<ChatCompletionChunk> replayed = service.streamCompletion(question("a short question"))
                    .collectList()
                    .block();
            assertThat(replayed)
                    .allSatisfy(chunk -> assertThat(chunk.cacheHit()).isTrue());
            assertThat(this.provider.requestCount()).isEqualTo(1);
        });
    }

    @Test
    void theCallbacksOfAStreamOverTheSizeGetTheWholeAnswerWhileItsTextIsWithinTheSize() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.streamCompletion(question(LONG_QUESTION)).blockLast();
            CallEvent event = context.getBean(RecordedCallEvents.class).next();
            assertThat(event).isNotNull();
            assertThat(event.error()).isNull();
            ChatCompletion reported = (ChatCompletion) event.response();
            assertThat(reported.content()).isEqualTo("answer 1 to " + LONG_QUESTION);
            assertThat(reported.choices().get(0).finishReason()).isEqualTo("stop");
            assertThat(reported.cacheHit()).isFalse();
            assertThat(event.responseTruncated()).isFalse();
        });
    }

    @Test
    void theCallbacksOfAStreamWhoseTextPassesTheSizeGetItCutWithTheWholeUsage() {
        this.contextRunner.run(context -> assertReportedCut(context, UnaryOperator.identity()));
    }

    @Test
    void theCallbacksOfAStreamThatBypassesTheCacheGetItCutPastTheSize() {
        this.contextRunner.run(context -> assertReportedCut(context, builder -> builder.caching(false)));
    }

    /**
     * A stream of 20,000 words (about 400KB of text as Java holds it) is reported with its text cut near 64KB, so
     * that the cache holds no more of it, whoever consumes the stream; its usage and finish reason are the whole
     * stream's.
     */
    private void assertReportedCut(ApplicationContext context, UnaryOperator<ChatCompletionRequest.Builder> options)
            throws InterruptedException {
        String huge = IntStream.range(0, 20_000).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));
        ChatCompletionRequest request = question(
                huge, builder -> options.apply(builder.param("stream_options", Map.of("include_usage", true))));
        List<ChatCompletionChunk> streamed = context.getBean(CompletionService.class)
                .streamCompletion(request)
                .collectList()
                .block();
        assertThat(text(streamed)).isEqualTo("answer 1 to " + huge);
        CallEvent event = context.getBean(RecordedCallEvents.class).next();
        assertThat(event).isNotNull();
        assertThat(event.error()).isNull();
        ChatCompletion reported = (ChatCompletion) event.response();
        assertThat(reported.content()).startsWith("answer 1 to word0 word1 ");
        assertThat(reported.content().length())
                .as("characters of 2 bytes kept within the 64KB, and one chunk past it")
                .isLessThan(33_000);
        assertThat(event.responseTruncated()).isTrue();
        assertThat(reported.choices().get(0).finishReason()).isEqualTo("stop");
        assertThat(reported.usage())
                .isNotNull()
                .isEqualTo(streamed.get(streamed.size() - 1).usage());
    }

    @Test
    void theSizeChangesThroughUpdate() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            LlmCache cache = context.getBean(LlmCache.class);
            cache.update(cache.settings().toBuilder()
                    .maxStreamSize(DataSize.ofMegabytes(1))
                    .build());
            service.streamCompletion(question(LONG_QUESTION)).blockLast();
            List<ChatCompletionChunk> replayed = service.streamCompletion(question(LONG_QUESTION))
                    .collectList()
                    .block();
            assertThat(replayed)
                    .allSatisfy(chunk -> assertThat(chunk.cacheHit()).isTrue());
            assertThat(text(replayed)).isEqualTo("answer 1 to " + LONG_QUESTION);
            assertThat(this.provider.requestCount()).isEqualTo(1);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class ReportingConfiguration {

        @Bean
        RecordedCallEvents recordedCallEvents() {
            return new RecordedCallEvents();
        }
    }
}
