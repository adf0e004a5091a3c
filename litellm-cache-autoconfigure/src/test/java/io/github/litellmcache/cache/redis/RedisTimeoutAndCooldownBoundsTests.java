package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.autoconfigure.LiteLlmCacheFailureAnalyzer;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code litellm.cache.timeout} and {@code litellm.cache.cooldown} of a remote backend: up to ten years they work, and
 * beyond they stop startup naming the property, rather than overflowing into an {@code ArithmeticException} when
 * the deadline is scheduled.
 */
class RedisTimeoutAndCooldownBoundsTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withPropertyValues(server.cacheProperties());

    @ParameterizedTest
    @CsvSource({
        "litellm.cache.timeout, 9999999d",
        "litellm.cache.cooldown, 9999999d",
        "litellm.cache.timeout, 9223372036854775807s",
        "litellm.cache.cooldown, 9223372036854775807s"
    })
    void aDurationOverTenYearsStopsStartupNamingThePropertyAndTheBound(String property, String value) {
        this.contextRunner.withPropertyValues(property + "=" + value).run(context -> {
            FailureAnalysis analysis = new LiteLlmCacheFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis)
                    .as("analysis of %s", context.getStartupFailure())
                    .isNotNull();
            assertThat(analysis.getDescription()).contains(property, value);
            assertThat(analysis.getAction()).contains("at most 3650 days");
        });
    }

    @Test
    void aTimeoutAndCooldownOfTenYearsWork() {
        this.contextRunner
                .withPropertyValues("litellm.cache.timeout=3650d", "litellm.cache.cooldown=3650d")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    assertThat(service.completion(question("ten years")).cacheHit())
                            .isFalse();
                    assertThat(service.acompletion(question("ten years"))
                                    .block()
                                    .cacheHit())
                            .isTrue();
                    assertThat(this.provider.requestCount()).isEqualTo(1);
                });
    }
}
