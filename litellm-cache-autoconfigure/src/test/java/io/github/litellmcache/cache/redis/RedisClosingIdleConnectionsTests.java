package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.CacheStatistics;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A Redis whose {@code timeout} closes connections idle for a second, as some Redis services and configurations do:
 * the client makes its connections again at once, by itself, so that the first call after a quiet spell is still a
 * hit, and the next miss is stored, with no failure counted or warned about, whether the cache has a connection of its
 * own or uses the application's. (A dedicated connection rejects the commands of the few milliseconds the client takes
 * to reconnect, so that a Redis that is down fails calls at once: a call in that window misses.)
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisClosingIdleConnectionsTests extends AbstractCachedApplicationTests {

    @Test
    void aDedicatedConnectionClosedWhileIdleServesTheNextHit(CapturedOutput output) {
        assertAQuietSpellLosesNoHit(false, output);
    }

    @Test
    void theApplicationsConnectionClosedWhileIdleServesTheNextHit(CapturedOutput output) {
        assertAQuietSpellLosesNoHit(true, output);
    }

    private void assertAQuietSpellLosesNoHit(boolean applicationConnection, CapturedOutput output) {
        try (RedisServer redis = RedisServer.launch("--timeout", "1")) {
            applicationRunner()
                    .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                    .withPropertyValues(
                            applicationConnection ? redis.applicationConnectionProperties() : redis.cacheProperties())
                    .run(context -> {
                        CompletionService service = context.getBean(CompletionService.class);
                        service.completion(question("asked before a quiet spell"));
                        Set<String> beforeTheSpell = connectionIds(redis);
                        await().atMost(Duration.ofSeconds(5))
                                .pollInterval(Duration.ofMillis(200))
                                .alias("Redis closes the cache's connections, idle past its timeout, and the client"
                                        + " makes them again by itself")
                                .until(() -> {
                                    Set<String> now = connectionIds(redis);
                                    return Collections.disjoint(now, beforeTheSpell)
                                            && now.size() >= beforeTheSpell.size();
                                });
                        assertThat(service.completion(question("asked before a quiet spell"))
                                        .cacheHit())
                                .as("the first call after the quiet spell")
                                .isTrue();
                        service.completion(question("asked after a quiet spell"));
                        assertThat(service.completion(question("asked after a quiet spell"))
                                        .cacheHit())
                                .isTrue();
                        assertThat(context.getBean(CacheStatistics.class)
                                        .counts()
                                        .errors())
                                .isZero();
                        assertThat(this.provider.requestCount()).isEqualTo(2);
                    });
            assertThat(output.getAll()).doesNotContain("WARN");
        }
    }

    /**
     * The ids of the connections that Redis lists, but subscribers, which its timeout never closes, and the one asking.
     */
    private static Set<String> connectionIds(RedisServer redis) {
        return Arrays.stream(redis.admin().clientList().split("\n"))
                .filter(line -> line.contains(" sub=0 psub=0 ") && !line.contains(" cmd=client|list "))
                .map(line -> line.substring(3, line.indexOf(' ')))
                .collect(Collectors.toSet());
    }
}
