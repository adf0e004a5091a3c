package io.github.litellmcache.cache.redis;

import static org.awaitility.Awaitility.await;

import io.github.litellmcache.autoconfigure.LiteLlmCacheAutoConfiguration;
import io.github.litellmcache.autoconfigure.LiteLlmCompletionAutoConfiguration;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * When the instance leading a key across the fleet ends without an entry (its provider call failed), the instances
 * that waited for it go on at once, each on its own, rather than taking the lease one after the other, each waiting
 * for the previous one's provider call: with N instances and a slow failing provider, the last would wait N calls.
 */
class FleetFollowersOfAFailedLeaderTests extends AbstractCachedApplicationTests {

    private static final Duration PROVIDER_LATENCY = Duration.ofSeconds(4);

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    private final ExecutorService callers = Executors.newFixedThreadPool(3);

    @AfterEach
    void stopInstances() {
        this.instances.forEach(ConfigurableApplicationContext::close);
        this.callers.shutdownNow();
    }

    @Test
    void theInstancesThatWaitedForALeaderWhoseCallFailedCallTheProviderTogetherNotOneAfterTheOther() throws Exception {
        List<CompletionService> services = List.of(instance(), instance(), instance());
        int base = this.provider.requestCount();
        this.provider.latency(PROVIDER_LATENCY);
        this.provider.fail(500, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");

        CompletableFuture<?> leader = ask(services.get(0));
        this.provider.awaitRequests(base + 1);
        List<CompletableFuture<?>> followers = List.of(ask(services.get(1)), ask(services.get(2)));

        // The leader's call fails after PROVIDER_LATENCY; a follower then calls.
        await().atMost(PROVIDER_LATENCY.multipliedBy(3)).until(() -> this.provider.requestCount() >= base + 2);
        // The other follower calls too, well before that call (PROVIDER_LATENCY) could have ended.
        await().atMost(PROVIDER_LATENCY.dividedBy(2)).until(() -> this.provider.requestCount() >= base + 3);

        leader.handle((answer, error) -> null).join();
        followers.forEach(call -> call.handle((answer, error) -> null).join());
    }

    private CompletableFuture<?> ask(CompletionService service) {
        return CompletableFuture.supplyAsync(
                () -> service.completion(question("a question the provider fails")), this.callers);
    }

    private CompletionService instance() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Instance.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .properties(
                        "litellm.openai.api-base=" + this.provider.apiBase(),
                        "litellm.request-timeout=30s",
                        "litellm.cache.type=redis",
                        "litellm.cache.redis.host=127.0.0.1",
                        "litellm.cache.redis.port=" + server.port())
                .run();
        this.instances.add(context);
        CompletionService service = context.getBean(CompletionService.class);
        service.completion(question("warm-up of instance " + this.instances.size()));
        return service;
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({LiteLlmCompletionAutoConfiguration.class, LiteLlmCacheAutoConfiguration.class})
    static class Instance {}
}
