package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.CallLoad;
import io.github.litellmcache.testsupport.StoppableStore;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * What a remote backend (one store shared by every instance of an application) does as applications meet it, beyond
 * {@link AbstractCacheBackendContractTests}: an entry written by one instance is read by another on the same store,
 * and an outage of the store fails no call and costs each call at most {@code litellm.cache.timeout}, the store being
 * stopped while eight threads are calling and started again on the same port, after which hits resume without a
 * restart of the application. Each backend's test extends this class, starts its store once for the class and gives
 * it, with how to connect an application to it. That no reactive call blocks an event
 * loop is {@link AbstractRemoteCacheBackendBlockHoundTests}, in a JVM of its own.
 */
public abstract class AbstractRemoteCacheBackendTests extends AbstractCachedApplicationTests {

    protected static final Duration PROVIDER_LATENCY = Duration.ofMillis(50);

    protected static final Duration TIMEOUT = Duration.ofMillis(250);

    /**
     * Scheduling noise on a loaded two-core machine (builds running beside the tests pushed the slowest call to 730 ms);
     * still far below what a missing deadline costs (Lettuce's 60 s command timeout, the AWS SDK's 30 s socket timeout).
     */
    protected static final Duration MARGIN = Duration.ofMillis(1_500);

    private final StoppableStore store;

    private final UnaryOperator<ApplicationContextRunner> connection;

    /**
     * Tests of the backend on {@code store}, which it stops as an outage would and starts again on the same port;
     * {@code connection} adds to an application what connects it to the store.
     */
    protected AbstractRemoteCacheBackendTests(
            StoppableStore store, UnaryOperator<ApplicationContextRunner> connection) {
        this.store = store;
        this.connection = connection;
    }

    /**
     * Asks a question with a secret in it in the configured namespace (the application sets
     * {@code app}), then in the request's own namespace {@code team}: the answer of the first.
     */
    protected static ChatCompletion askedInTwoNamespaces(CompletionService service) {
        ChatCompletion answer = service.completion(question("my secret prompt"));
        service.completion(question(
                "my secret prompt",
                b -> b.cache(CacheOptions.builder().namespace("team").build())));
        return answer;
    }

    /** {@link #applicationRunner()} on the backend under test, connected to the store. */
    protected ApplicationContextRunner storeRunner() {
        return this.connection.apply(applicationRunner());
    }

    @Test
    void entriesWrittenByOneInstanceAreReadByAnother() {
        storeRunner()
                .run(first -> storeRunner().run(second -> {
                    ChatCompletion original =
                            first.getBean(CompletionService.class).completion(question("shared prompt"));
                    ChatCompletion fromOtherInstance =
                            second.getBean(CompletionService.class).completion(question("shared prompt"));
                    assertThat(fromOtherInstance.cacheHit()).isTrue();
                    assertThat(fromOtherInstance.id()).isEqualTo(original.id());
                    assertThat(fromOtherInstance.content()).isEqualTo(original.content());
                    assertThat(second.getBean(CompletionService.class)
                                    .acompletion(question("shared prompt"))
                                    .block()
                                    .cacheHit())
                            .isTrue();
                    assertThat(this.provider.requestCount()).isEqualTo(1);
                }));
    }

    @Test
    void stoppingTheStoreUnderLoadFailsNoCallAndBoundsLatencyAndHitsResumeAfterARestart() {
        outageUnderLoad(storeRunner());
    }

    /**
     * Calls from eight threads while the store is stopped for 1.5 s and started again: no call fails, none takes
     * longer than the provider plus the timeout, and hits resume.
     */
    protected void outageUnderLoad(ApplicationContextRunner runner) {
        this.provider.latency(PROVIDER_LATENCY);
        runner.withPropertyValues("litellm.cache.timeout=" + TIMEOUT.toMillis() + "ms", "litellm.cache.cooldown=500ms")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    assertThat(CallLoad.warmUp(service).failures()).isEmpty();
                    CallLoad load = CallLoad.start(service);
                    try {
                        Thread.sleep(500);
                        this.store.stop();
                        Thread.sleep(1_500);
                        this.store.start();
                        Thread.sleep(500);
                    } finally {
                        load.stop();
                    }
                    assertThat(load.failures()).isEmpty();
                    assertThat(load.calls()).isGreaterThan(50);
                    assertThat(load.slowest())
                            .isLessThanOrEqualTo(PROVIDER_LATENCY.plus(TIMEOUT).plus(MARGIN));
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        service.completion(question("after the restart"));
                        assertThat(service.completion(question("after the restart"))
                                        .cacheHit())
                                .isTrue();
                    });
                });
    }
}
