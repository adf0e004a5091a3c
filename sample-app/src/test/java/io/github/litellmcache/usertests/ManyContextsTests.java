package io.github.litellmcache.usertests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A test suite that closes many contexts ({@code @DirtiesContext}): each closed application leaves no connection to
 * Redis and, once idle, no thread of the library's ({@code litellm-*}).
 */
class ManyContextsTests extends ApplicationStartedInTheTest {

    private static final int CONTEXTS = 5;

    @Test
    void closedContextsLeaveNoRedisConnectionNorLibraryThread() {
        Set<Thread> threadsBefore = libraryThreads();
        long clientsBefore = redisClients();

        for (int i = 0; i < CONTEXTS; i++) {
            try (ConfigurableApplicationContext application = start(redis.applicationConnectionProperties())) {
                askTwice(application, "Country " + i);
            }
        }

        awaitRedisClientsBackTo(clientsBefore);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(libraryThreads()).isSubsetOf(threadsBefore));
    }

    private static Set<Thread> libraryThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("litellm"))
                .collect(Collectors.toSet());
    }
}
