package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.cache.engine.BackendGuards;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a real s3proxy whose writes hang while its reads answer. Hanging from the application's start, so that no
 * write has ever succeeded: the warm-up's long write deadline is paid by the first write only, not by every miss; reads
 * keep succeeding, so calls keep reading, and only the write circuit breaker opens, after five failed writes, too late
 * to bound the cost of the first ones.
 */
class S3WritesHangWhileReadsAnswerTests extends AbstractCachedApplicationTests {

    private static final String BUCKET = "writes-hang";

    /** A generous bound for four misses whose writes each wait 250 ms, far below four warm-up deadlines (20 s). */
    private static final Duration FOUR_MISSES = Duration.ofSeconds(10);

    private WritesHang writes;

    private MisbehavingS3Proxy proxy;

    @BeforeEach
    void start() throws Exception {
        this.proxy = MisbehavingS3Proxy.start(BUCKET, store -> this.writes = new WritesHang(store));
    }

    @AfterEach
    void stop() throws Exception {
        this.writes.answer();
        this.proxy.close();
    }

    @Test
    void onlyTheFirstWriteThatHangsIsGivenTheWarmUpDeadline() {
        this.writes.hang();
        applicationRunner().withPropertyValues(this.proxy.cacheProperties()).run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            context.getBean(BackendGuards.class)
                    .guard(context.getBean(LlmCache.class).backend())
                    .probe(Duration.ofSeconds(10));
            service.completion(question("first miss, its write hangs"));

            long start = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                assertThat(service.completion(question("later miss " + i)).cacheHit())
                        .isFalse();
            }

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FOUR_MISSES);
            assertThat(context.getBean(BackendGuards.class)
                            .guard(context.getBean(LlmCache.class).backend())
                            .isAvailable())
                    .as("reads answer, so the breaker stays closed")
                    .isTrue();
        });
    }

    /**
     * Writes that start to hang once an entry is stored: the concurrent misses whose writes miss their deadline skip the
     * writes that follow, never the reads, so the entry stored before stays a hit.
     */
    @Test
    void concurrentMissesWhoseWritesHangLeaveReadsAndHitsServed() {
        applicationRunner()
                .withPropertyValues(this.proxy.cacheProperties())
                .run(context -> assertFailingWritesSkipOnlyWrites(context, this.writes::hang));
    }
}
