package io.github.litellmcache.usertests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The user's application started and closed by the test itself, as {@code @DirtiesContext} closes a test's context,
 * on the local cache or on a redis-server of the class's own; and what the application leaves on that server.
 */
abstract class ApplicationStartedInTheTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    /** The application, with {@code arguments} ({@code name=value}), answered by the mock provider. */
    static ConfigurableApplicationContext start(String... arguments) {
        List<String> all = new ArrayList<>(List.of("server.port=0", "litellm.mock.latency=1ms"));
        all.addAll(List.of(arguments));
        return new SpringApplicationBuilder(CapitalApplication.class)
                .run(all.stream().map(argument -> "--" + argument).toArray(String[]::new));
    }

    /** {@code arguments} and the properties that put the cache on {@link #redis}, as {@code redis} names them. */
    static String[] onRedis(String[] redisProperties, String... arguments) {
        return Stream.concat(Stream.of(redisProperties), Stream.of(arguments)).toArray(String[]::new);
    }

    /** LiteLLM's quick start: the same question twice, a miss then a hit. */
    static void askTwice(ConfigurableApplicationContext application, String country) {
        CompletionService llm = application.getBean(CompletionService.class);

        ChatCompletion first = llm.completion(CapitalApplication.question(country));
        ChatCompletion second = llm.completion(CapitalApplication.question(country));

        assertThat(first.cacheHit()).isFalse();
        assertThat(second.cacheHit()).isTrue();
        assertThat(second.content()).isEqualTo(first.content());
    }

    /** The connections open on {@link #redis}, its admin connection included. */
    static long redisClients() {
        return redis.admin().clientList().lines().count();
    }

    /** Waits until only the connections open before, {@code before}, are left on {@link #redis}. */
    static void awaitRedisClientsBackTo(long before) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(redisClients()).isEqualTo(before));
    }
}
