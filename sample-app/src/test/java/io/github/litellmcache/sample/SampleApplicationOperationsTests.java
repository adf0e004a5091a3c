package io.github.litellmcache.sample;

import static io.github.litellmcache.sample.SampleClients.cacheHit;
import static io.github.litellmcache.sample.SampleClients.chat;
import static io.github.litellmcache.sample.SampleClients.post;
import static io.github.litellmcache.sample.SampleClients.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.litellmcache.testsupport.RedisServer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Operating the cache over real HTTP with the {@code ops} profile, on the management port bound to
 * localhost: the {@code litellmcache} endpoint (read, switch off and on, clear), its meters under
 * {@code /actuator/metrics} and the {@code litellmCache} health contributor, with the local cache,
 * and with Redis stopped and restarted.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "litellm.mock.enabled=true",
            "litellm.mock.latency=20ms",
            "litellm.cache.type=local",
            "litellm.cache.ttl=10m",
            "litellm.cache.redis.password=" + SampleApplicationOperationsTests.PASSWORD
        })
@ActiveProfiles("ops")
class SampleApplicationOperationsTests {

    static final String PASSWORD = "some-secret";

    private static final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort;

    private WebTestClient client;

    private WebTestClient management;

    @BeforeEach
    void connect() {
        this.client = web(this.port);
        this.management = web(this.managementPort);
    }

    @Test
    void readShowsTheSettingsWithThePasswordMasked() {
        EntityExchangeResult<String> result = get(this.management, "/actuator/litellmcache");

        assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(result.getResponseBody()).doesNotContain(PASSWORD);
        JsonNode cache = read(result);
        assertThat(cache.path("enabled").asBoolean()).isTrue();
        assertThat(cache.path("type").asString()).isEqualTo("local");
        assertThat(cache.path("mode").asString()).isEqualTo("default-on");
        assertThat(cache.path("ttl").asString()).isEqualTo("10m");
        assertThat(cache.path("supportedCallTypes").toString())
                .isEqualTo("[\"completion\",\"acompletion\",\"embedding\",\"aembedding\"]");
        assertThat(cache.path("connection").path("password").asString()).isEqualTo("******");
        assertThat(cache.path("counts").has("hits")).isTrue();
        assertThat(cache.path("counts").has("misses")).isTrue();
        assertThat(cache.path("counts").has("writes")).isTrue();
        assertThat(cache.path("counts").has("errors")).isTrue();
    }

    @Test
    void writeEnabledFalseSendsTheNextRepeatToTheProviderAndTrueTurnsItBackOn() {
        Map<String, Object> request = chat("Switch " + UUID.randomUUID());
        post(this.client, "/v1/chat/completions", request);
        assertThat(cacheHit(post(this.client, "/v1/chat/completions", request))).isEqualTo("true");
        try {
            EntityExchangeResult<String> disabled =
                    post(this.management, "/actuator/litellmcache", Map.of("enabled", false));
            assertThat(disabled.getStatus().is2xxSuccessful()).isTrue();
            assertThat(read(get(this.management, "/actuator/litellmcache"))
                            .path("enabled")
                            .asBoolean())
                    .isFalse();

            EntityExchangeResult<String> repeat = post(this.client, "/v1/chat/completions", request);

            assertThat(cacheHit(repeat)).isEqualTo("false");
            assertThat(repeat.getResponseHeaders().containsHeader("x-litellm-cache-key"))
                    .isFalse();
        } finally {
            post(this.management, "/actuator/litellmcache", Map.of("enabled", true));
        }
        assertThat(cacheHit(post(this.client, "/v1/chat/completions", request))).isEqualTo("true");
    }

    @Test
    void deleteClearsTheCache() {
        Map<String, Object> request = chat("Clear " + UUID.randomUUID());
        post(this.client, "/v1/chat/completions", request);
        assertThat(cacheHit(post(this.client, "/v1/chat/completions", request))).isEqualTo("true");

        EntityExchangeResult<String> cleared = this.management
                .delete()
                .uri("/actuator/litellmcache")
                .exchange()
                .expectBody(String.class)
                .returnResult();

        assertThat(cleared.getStatus().is2xxSuccessful()).isTrue();
        assertThat(cacheHit(post(this.client, "/v1/chat/completions", request))).isEqualTo("false");
    }

    @Test
    void hitsAndTokensSavedAreReadFromTheMetricsEndpoint() {
        String hits = "/actuator/metrics/litellm.cache.requests?tag=result:hit&tag=call.type:acompletion";
        double hitsBefore = count(hits);
        double tokensBefore = count("/actuator/metrics/litellm.cache.tokens.saved");
        Map<String, Object> request = chat("Metrics " + UUID.randomUUID());
        post(this.client, "/v1/chat/completions", request);
        EntityExchangeResult<String> hit = post(this.client, "/v1/chat/completions", request);
        assertThat(cacheHit(hit)).isEqualTo("true");

        assertThat(count(hits)).isEqualTo(hitsBefore + 1);
        assertThat(count("/actuator/metrics/litellm.cache.requests?tag=result:miss"))
                .isPositive();
        assertThat(count("/actuator/metrics/litellm.cache.tokens.saved"))
                .isEqualTo(tokensBefore
                        + read(hit).path("usage").path("total_tokens").asDouble());
        JsonNode latency = read(get(this.management, "/actuator/metrics/litellm.cache.latency?tag=backend:local"));
        assertThat(latency.path("measurements").path(0).path("value").asDouble())
                .isPositive();
    }

    @Test
    void healthIsUpWithTheBackendType() {
        JsonNode health = read(get(this.management, "/actuator/health/litellmCache"));

        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("details").path("type").asString()).isEqualTo("local");
    }

    /** The sample app on a Redis cache whose server the test stops and starts again. */
    @Nested
    class WithRedis {

        private static final RedisServer redis = RedisServer.launch("--requirepass", PASSWORD);

        @LocalServerPort
        private int redisAppPort;

        @LocalManagementPort
        private int redisManagementPort;

        @DynamicPropertySource
        static void redisCache(DynamicPropertyRegistry registry) {
            registry.add("litellm.cache.type", () -> "redis");
            registry.add("litellm.cache.redis.host", () -> "127.0.0.1");
            registry.add("litellm.cache.redis.port", redis::port);
            registry.add("litellm.cache.cooldown", () -> "500ms");
        }

        @AfterAll
        static void stopRedis() {
            redis.close();
        }

        @Test
        void healthIsDownWithTheReasonWhileRedisIsStoppedAndUpAgainAfterItRestarts() {
            WebTestClient client = web(this.redisAppPort);
            WebTestClient management = web(this.redisManagementPort);
            String health = "/actuator/health/litellmCache";
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(
                                    read(get(management, health)).path("status").asString())
                            .isEqualTo("UP"));
            Map<String, Object> request = chat("Redis " + UUID.randomUUID());
            post(client, "/v1/chat/completions", request);
            assertThat(cacheHit(post(client, "/v1/chat/completions", request))).isEqualTo("true");

            redis.stop();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                EntityExchangeResult<String> down = get(management, health);
                assertThat(down.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                JsonNode body = read(down);
                assertThat(body.path("status").asString()).isEqualTo("DOWN");
                assertThat(body.path("details").path("type").asString()).isEqualTo("redis");
                assertThat(body.path("details").path("reason").asString()).isNotBlank();
                assertThat(down.getResponseBody()).doesNotContain(PASSWORD);
            });
            EntityExchangeResult<String> duringOutage = post(client, "/v1/chat/completions", request);
            assertThat(duringOutage.getStatus()).isEqualTo(HttpStatus.OK);
            assertThat(cacheHit(duringOutage)).isEqualTo("false");

            redis.start();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(
                                    read(get(management, health)).path("status").asString())
                            .isEqualTo("UP"));
            JsonNode cache = read(get(management, "/actuator/litellmcache"));
            assertThat(cache.path("type").asString()).isEqualTo("redis");
            assertThat(cache.path("connection").path("password").asString()).isEqualTo("******");
            assertThat(cache.path("counts").path("errors").asLong()).isPositive();
        }
    }

    private double count(String metric) {
        EntityExchangeResult<String> result = get(this.management, metric);
        assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
        for (JsonNode measurement : read(result).path("measurements")) {
            if (measurement.path("statistic").asString().equals("COUNT")) {
                return measurement.path("value").asDouble();
            }
        }
        throw new AssertionError("no COUNT in " + result.getResponseBody());
    }

    private static EntityExchangeResult<String> get(WebTestClient client, String path) {
        return client.get().uri(path).exchange().expectBody(String.class).returnResult();
    }

    private static JsonNode read(EntityExchangeResult<String> result) {
        return json.readTree(result.getResponseBody());
    }
}
