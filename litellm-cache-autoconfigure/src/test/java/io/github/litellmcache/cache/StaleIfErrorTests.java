package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.OpenAiFake;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code litellm.cache.stale-if-error} (RFC 5861) on the local backend, against the OpenAI wire-format fake: an
 * entry past its TTL answers, marked stale, when the provider fails with a server error, a timeout or a refused
 * connection; never for a 4xx, never past the grace, never without the setting.
 */
class StaleIfErrorTests extends AbstractCachedApplicationTests {

    static final Duration TTL = Duration.ofMillis(200);

    private final ApplicationContextRunner contextRunner = applicationRunner()
            .withPropertyValues(
                    "litellm.cache.ttl=" + TTL.toMillis() + "ms",
                    "litellm.cache.stale-if-error=1h",
                    "litellm.request-timeout=1s");

    /** Waits until every entry stored before is past its TTL (a slower machine only makes it staler). */
    static void pastTheTtl() throws InterruptedException {
        Thread.sleep(TTL.multipliedBy(2).toMillis());
    }

    /** How the provider fails. */
    enum Outage {
        SERVER_ERROR {
            @Override
            void begin(OpenAiFake provider) {
                provider.fail(503, "{\"error\":{\"message\":\"overloaded\"}}");
            }
        },
        ERROR_BODY_WITH_STATUS_200 {
            @Override
            void begin(OpenAiFake provider) {
                provider.fail(200, "{\"error\":{\"message\":\"overloaded\"}}");
            }
        },
        TIMEOUT {
            @Override
            void begin(OpenAiFake provider) {
                provider.latency(Duration.ofMinutes(5));
            }
        },
        CONNECTION_REFUSED {
            @Override
            void begin(OpenAiFake provider) throws IOException {
                provider.close();
            }
        };

        abstract void begin(OpenAiFake provider) throws IOException;
    }

    @ParameterizedTest
    @EnumSource(Outage.class)
    void anOutageIsAnsweredByTheEntryPastItsTtlMarkedStale(Outage outage) {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletion first = service.completion(question("capital of France?"));
            pastTheTtl();
            outage.begin(this.provider);

            ChatCompletion stale = service.completion(question("capital of France?"));
            ChatCompletion staleReactive =
                    service.acompletion(question("capital of France?")).block();

            for (ChatCompletion answer : List.of(stale, Objects.requireNonNull(staleReactive))) {
                assertThat(answer.cacheHit()).isTrue();
                assertThat(answer.cacheStale()).isTrue();
                assertThat(answer.id()).isEqualTo(first.id());
                assertThat(answer.content()).isEqualTo(first.content());
            }
            assertThat(first.cacheStale()).isFalse();
        });
    }

    @Test
    void theProviderIsAskedBeforeAnEntryPastItsTtlAnswers() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("capital of Peru?"));
            pastTheTtl();
            Outage.SERVER_ERROR.begin(this.provider);

            assertThat(service.completion(question("capital of Peru?")).cacheStale())
                    .isTrue();
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void anEntryPastItsTtlIsReplacedWhenTheProviderAnswers() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            ChatCompletion first = service.completion(question("capital of Italy?"));
            pastTheTtl();

            ChatCompletion renewed = service.completion(question("capital of Italy?"));
            ChatCompletion hit = service.completion(question("capital of Italy?"));

            assertThat(renewed.cacheHit()).isFalse();
            assertThat(renewed.id()).isNotEqualTo(first.id());
            assertThat(hit.cacheHit()).isTrue();
            assertThat(hit.cacheStale()).isFalse();
            assertThat(hit.id()).isEqualTo(renewed.id());
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401})
    void aClientErrorIsRaisedNeverAnsweredByAStaleEntry(int status) {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.completion(question("capital of Chile?"));
            pastTheTtl();
            this.provider.fail(status, "{\"error\":{\"message\":\"refused\"}}");

            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> service.completion(question("capital of Chile?")))
                    .satisfies(error -> assertThat(error.statusCode()).isEqualTo(status));
            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> service.streamCompletion(question("capital of Chile?"))
                            .blockLast());
        });
    }

    @Test
    void pastTheGraceTheErrorIsRaised() {
        this.contextRunner
                .withPropertyValues("litellm.cache.stale-if-error=100ms")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    service.completion(question("capital of Japan?"));
                    Thread.sleep(TTL.plusMillis(100).multipliedBy(2).toMillis());
                    Outage.SERVER_ERROR.begin(this.provider);

                    assertThatExceptionOfType(LlmException.class)
                            .isThrownBy(() -> service.completion(question("capital of Japan?")))
                            .satisfies(error -> assertThat(error.statusCode()).isEqualTo(503));
                });
    }

    @Test
    void withoutStaleIfErrorTheErrorIsRaised() {
        applicationRunner()
                .withPropertyValues("litellm.cache.ttl=" + TTL.toMillis() + "ms")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    service.completion(question("capital of Kenya?"));
                    pastTheTtl();
                    Outage.SERVER_ERROR.begin(this.provider);

                    assertThatExceptionOfType(LlmException.class)
                            .isThrownBy(() -> service.completion(question("capital of Kenya?")))
                            .satisfies(error -> assertThat(error.statusCode()).isEqualTo(503));
                });
    }

    @Test
    void aRequestsOwnStaleIfErrorKeepsAndServesItsEntry() {
        applicationRunner().run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            CacheOptions options = CacheOptions.builder()
                    .ttl(TTL)
                    .staleIfError(Duration.ofHours(1))
                    .build();
            ChatCompletion first = service.completion(question("capital of Norway?", ask -> ask.cache(options)));
            pastTheTtl();
            this.provider.fail(502, "bad gateway");

            ChatCompletion stale = service.completion(question("capital of Norway?", ask -> ask.cache(options)));

            assertThat(stale.cacheStale()).isTrue();
            assertThat(stale.id()).isEqualTo(first.id());
            assertThatExceptionOfType(LlmException.class)
                    .as("a call without staleIfError does not take the entry past its TTL")
                    .isThrownBy(() -> service.completion(question("capital of Norway?")));
        });
    }

    @Test
    void aStreamPastItsTtlReplaysItsChunksWhenTheProviderFails() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            List<ChatCompletionChunk> first = service.streamCompletion(question("tell a story"))
                    .collectList()
                    .block();
            pastTheTtl();
            Outage.SERVER_ERROR.begin(this.provider);

            List<ChatCompletionChunk> replayed = service.streamCompletion(question("tell a story"))
                    .collectList()
                    .block();

            assertThat(replayed)
                    .extracting(ChatCompletionChunk::content)
                    .isEqualTo(first.stream().map(ChatCompletionChunk::content).toList());
            assertThat(replayed).allMatch(ChatCompletionChunk::cacheHit);
        });
    }

    @Test
    void embeddingItemsPastTheirTtlAnswerWhenEveryMissingItemHasOne() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            EmbeddingResponse first = service.embedding("text-embedding-3-small", List.of("alpha", "beta"));
            pastTheTtl();
            this.provider.fail(500, "{\"error\":{\"message\":\"internal\"}}");

            EmbeddingResponse stale = service.embedding("text-embedding-3-small", List.of("beta", "alpha"));

            assertThat(stale.cacheHit()).isTrue();
            assertThat(stale.cacheStale()).isTrue();
            assertThat(stale.data().get(0).embedding())
                    .isEqualTo(first.data().get(1).embedding());
            assertThat(stale.data().get(1).embedding())
                    .isEqualTo(first.data().get(0).embedding());
            assertThatExceptionOfType(LlmException.class)
                    .as("an item without any entry")
                    .isThrownBy(() -> service.embedding("text-embedding-3-small", List.of("alpha", "gamma")));
        });
    }

    @Test
    void embeddingItemsPastTheirTtlFromTwoModelsNeverAnswerTogether() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            service.embedding("text-embedding-3-small", List.of("alpha"));
            this.provider.answerEmbeddingsAsModel("text-embedding-3-large");
            service.embedding("text-embedding-3-small", List.of("beta"));
            pastTheTtl();
            this.provider.fail(500, "{\"error\":{\"message\":\"internal\"}}");

            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> service.embedding("text-embedding-3-small", List.of("alpha", "beta")));
            assertThat(service.embedding("text-embedding-3-small", List.of("beta"))
                            .cacheStale())
                    .isTrue();
        });
    }
}
