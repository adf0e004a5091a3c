package io.github.litellmcache.cache.near;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The near tier follows what Redis tells the masters' tracking connections; on an application connection that may
 * read a replica, or whose client has no server of its own to track on (a static master/replica setup), it stays off
 * with one warning naming the property, and the cache goes on serving its hits from Redis.
 */
@ExtendWith(OutputCaptureExtension.class)
class NearTierOffWhereItCannotStayCoherentTests extends AbstractCachedApplicationTests {

    private static final String READ_FROM_WARNING = "spring.data.redis.lettuce.read-from lets";

    private static final String STATIC_MASTER_REPLICA_WARNING = "spring.data.redis.masterreplica.nodes";

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final ChatCompletionRequest question = question("Which node answers this read?");

    private ApplicationContextRunner onTheApplicationConnection() {
        return applicationRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues("litellm.cache.type=redis", "litellm.cache.near.enabled=true");
    }

    @Test
    void readsThatMayGoToAReplicaLeaveTheNearTierOffWithOneWarningAndHitsServedFromRedis(CapturedOutput output) {
        onTheApplicationConnection()
                .withPropertyValues(server.applicationConnectionProperties())
                .withPropertyValues("spring.data.redis.lettuce.read-from=replica-preferred")
                .run(context -> {
                    assertThat(backend(context)).isNotInstanceOf(NearCacheBackend.class);
                    assertHitsServedFromRedis(context);
                    assertThat(output.getAll()).containsOnlyOnce(READ_FROM_WARNING);
                });
    }

    @Test
    void readsThatGoToTheMasterWhileItAnswersKeepTheNearTier(CapturedOutput output) {
        onTheApplicationConnection()
                .withPropertyValues(server.applicationConnectionProperties())
                .withPropertyValues("spring.data.redis.lettuce.read-from=upstream-preferred")
                .run(context -> {
                    NearCacheBackend near = (NearCacheBackend) backend(context);
                    await().atMost(Duration.ofSeconds(10)).until(near::isNearTierInUse);
                    assertThat(output.getAll()).doesNotContain(READ_FROM_WARNING);
                });
    }

    @Test
    void aStaticMasterReplicaSetupLeavesTheNearTierOffWithOneWarningAndHitsServedFromRedis(CapturedOutput output)
            throws InterruptedException {
        ApplicationContextRunner runner = onTheApplicationConnection()
                .withPropertyValues("spring.data.redis.masterreplica.nodes=127.0.0.1:" + server.port());
        runner.run(context -> {
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains(STATIC_MASTER_REPLICA_WARNING));
            // Past the tracking connection's retry interval: the failure is for good, and not tried or warned again.
            Thread.sleep(2_500);

            assertThat(((NearCacheBackend) backend(context)).isNearTierInUse()).isFalse();
            assertHitsServedFromRedis(context);
            assertThat(output.getAll()).containsOnlyOnce(STATIC_MASTER_REPLICA_WARNING);
        });
    }

    private static CacheBackend backend(AssertableApplicationContext context) {
        return context.getBean(LlmCache.class).backend();
    }

    private void assertHitsServedFromRedis(AssertableApplicationContext context) {
        CompletionService service = context.getBean(CompletionService.class);
        assertThat(service.completion(this.question).cacheHit()).isFalse();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.admin().keys("litellm:*").size(), size -> size > 0);
        assertThat(service.completion(this.question).cacheHit()).isTrue();
        assertThat(this.provider.requestCount()).isEqualTo(1);
    }
}
