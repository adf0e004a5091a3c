package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;

/**
 * Identical calls in flight share the leader's success, never a failure that is the leader's own, and callers with
 * other credentials or endpoints never join the flight at all.
 */
class SingleFlightSharesSuccessesOnlyTests extends AbstractCachedApplicationTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ApplicationContextRunner contextRunner = applicationRunner();

    @Test
    void aFollowerMakesItsOwnCallWhenTheLeaderIsRateLimited() {
        this.provider.latency(Duration.ofMillis(600));
        this.provider.fail(429, "{\"error\":{\"message\":\"slow down\"}}");
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            CompletableFuture<ChatCompletion> leader =
                    service.acompletion(question("shared question")).toFuture();
            this.provider.awaitRequests(1);
            this.provider.succeed();
            ChatCompletion follower = service.completion(question("shared question"));
            assertThat(leader)
                    .failsWithin(WAIT)
                    .withThrowableOfType(Exception.class)
                    .havingRootCause()
                    .isInstanceOfSatisfying(
                            LlmException.class,
                            error -> assertThat(error.statusCode()).isEqualTo(429));
            assertThat(follower.cacheHit()).isFalse();
            assertThat(follower.content()).contains("shared question");
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void aFollowerMakesItsOwnCallWhenTheLeaderGivesUpAfterItsOwnTimeout() {
        this.provider.latency(Duration.ofMillis(800));
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            CompletableFuture<ChatCompletion> impatientLeader = service.acompletion(
                            question("shared question", options -> options.timeout(Duration.ofMillis(300))))
                    .toFuture();
            this.provider.awaitRequests(1);
            ChatCompletion follower = service.completion(question("shared question"));
            assertThat(impatientLeader).failsWithin(WAIT);
            assertThat(follower.content()).contains("shared question");
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void aFollowerThatGaveUpIsNotToldOfTheLeadersLaterFailure() {
        this.provider.latency(Duration.ofMillis(800));
        this.provider.fail(500, "{\"error\":{\"message\":\"overloaded\"}}");
        List<Throwable> dropped = new CopyOnWriteArrayList<>();
        Hooks.onErrorDropped(dropped::add);
        try {
            this.contextRunner.run(context -> {
                CompletionService service = context.getBean(CompletionService.class);
                CompletableFuture<ChatCompletion> leader =
                        service.acompletion(question("shared question")).toFuture();
                this.provider.awaitRequests(1);
                Mono<ChatCompletion> impatientFollower = service.acompletion(
                        question("shared question", options -> options.timeout(Duration.ofMillis(200))));
                assertThatExceptionOfType(LlmException.class)
                        .isThrownBy(() -> impatientFollower.block(WAIT))
                        .withMessageContaining("no answer within");
                assertThat(leader).failsWithin(WAIT);
                Thread.sleep(200);
                assertThat(dropped).isEmpty();
            });
        } finally {
            Hooks.resetOnErrorDropped();
        }
    }

    @Test
    void aFollowerMakesItsOwnCallWhenTheLeaderIsUnauthorized() {
        this.provider.latency(Duration.ofMillis(600));
        this.provider.fail(401, "{\"error\":{\"message\":\"revoked key\"}}");
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            Mono<ChatCompletion> leader = service.acompletion(question("shared question"));
            CompletableFuture<ChatCompletion> led = leader.toFuture();
            this.provider.awaitRequests(1);
            this.provider.succeed();
            ChatCompletion follower =
                    service.acompletion(question("shared question")).block(WAIT);
            assertThat(led).failsWithin(WAIT);
            assertThat(follower.content()).contains("shared question");
        });
    }

    @Test
    void callersWithOtherCredentialsOrEndpointsNeverJoinTheFlight() {
        this.provider.latency(Duration.ofMillis(500));
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            CompletableFuture<ChatCompletion> first = service.acompletion(
                            question("shared question", options -> options.apiKey("sk-first-caller")))
                    .toFuture();
            this.provider.awaitRequests(1);
            CompletableFuture<ChatCompletion> second = service.acompletion(
                            question("shared question", options -> options.apiKey("sk-second-caller")))
                    .toFuture();
            this.provider.awaitRequests(2);
            CompletableFuture<ChatCompletion> sameCallerAsFirst = service.acompletion(
                            question("shared question", options -> options.apiKey("sk-first-caller")))
                    .toFuture();
            assertThat(first.get()).isNotNull();
            assertThat(second.get()).isNotNull();
            assertThat(sameCallerAsFirst.get().id()).isEqualTo(first.get().id());
            assertThat(this.provider.requests())
                    .extracting(request -> request.getHeaders().get("Authorization"))
                    .containsExactly("Bearer sk-first-caller", "Bearer sk-second-caller");
        });
    }

    @Test
    void aServerErrorIsTriedOnceMoreForTheFollowersThenShared() {
        this.provider.latency(Duration.ofMillis(400));
        this.provider.fail(503, "{\"error\":{\"message\":\"overloaded\"}}");
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            CompletableFuture<ChatCompletion> leader =
                    service.acompletion(question("shared question")).toFuture();
            this.provider.awaitRequests(1);
            assertThatExceptionOfType(LlmException.class)
                    .isThrownBy(() -> service.completion(question("shared question")))
                    .satisfies(error -> assertThat(error.statusCode()).isEqualTo(503));
            assertThat(leader).failsWithin(WAIT);
            assertThat(this.provider.requestCount()).isEqualTo(2);
        });
    }
}
