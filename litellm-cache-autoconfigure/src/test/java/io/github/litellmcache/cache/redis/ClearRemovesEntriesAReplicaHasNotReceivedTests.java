package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;

/**
 * On an application connection that reads replicas ({@code spring.data.redis.lettuce.read-from}), {@code clear()}
 * still removes every entry the master holds, those a replica has not received included (written within its
 * replication lag, or while its link to the master is down): it scans the master, where it unlinks them, not the
 * replica that answers the connection's reads, page after page.
 */
class ClearRemovesEntriesAReplicaHasNotReceivedTests extends AbstractCachedApplicationTests {

    /** A port nothing listens on, which only root could bind: the replica never reaches its master. */
    private static final int UNREACHABLE = 1;

    @Test
    void clearOnAConnectionReadingAReplicaWithoutTheEntriesRemovesThemFromTheMaster() {
        try (RedisServer master = RedisServer.launch();
                RedisServer replica = RedisServer.launch()) {
            replica.admin().replicaof("127.0.0.1", UNREACHABLE);
            applicationRunner()
                    .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                    .withPropertyValues(
                            "litellm.cache.type=redis",
                            "litellm.cache.timeout=2s",
                            "spring.data.redis.masterreplica.nodes=127.0.0.1:" + master.port() + ",127.0.0.1:"
                                    + replica.port(),
                            "spring.data.redis.lettuce.read-from=replica")
                    .run(context -> {
                        CompletionService service = context.getBean(CompletionService.class);
                        service.completion(question("Which node holds this entry?"));
                        service.embedding("text-embedding-3-small", List.of("a", "b"));
                        assertThat(master.admin().keys("litellm:*"))
                                .as("written to the master")
                                .hasSize(3);
                        assertThat(replica.admin().keys("litellm:*"))
                                .as("never received by the replica")
                                .isEmpty();
                        context.getBean(LlmCache.class).clear();
                        assertThat(master.admin().keys("litellm:*")).isEmpty();
                    });
        }
    }
}
