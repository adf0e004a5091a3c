package io.github.litellmcache.sample.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/**
 * The quick start in the application that Spring's AOT processing prepared (the build runs
 * {@code process-aot}, as a native image or an AOT-optimised JVM deployment does), started on those
 * artifacts ({@code spring.aot.enabled}): the cache's configuration was fixed at build time on the
 * default backend, and Redis is chosen when the application starts.
 */
class AotProcessedApplicationColdStartTests extends RedisQuickStartAfterColdStart {

    private static final String REACHABILITY_METADATA =
            "META-INF/native-image/io.github.litellmcache/sample-app/reachability-metadata.json";

    @BeforeAll
    static void startOnTheAotArtifacts() {
        System.setProperty("spring.aot.enabled", "true");
    }

    @AfterAll
    static void startWithoutThem() {
        System.clearProperty("spring.aot.enabled");
    }

    @Override
    List<String> arguments() {
        return List.of(
                "--litellm.cache.type=redis",
                "--spring.data.redis.port=" + redis.port(),
                "--spring.data.redis.password=" + PASSWORD);
    }

    @Test
    void aNativeImageOfTheApplicationMayReflectOnTheWireTypes() throws IOException {
        String metadata = new ClassPathResource(REACHABILITY_METADATA).getContentAsString(StandardCharsets.UTF_8);
        assertThat(metadata)
                .contains(
                        "io.github.litellmcache.completion.ChatCompletionChunk$Delta",
                        "io.github.litellmcache.completion.EmbeddingResponse$Embedding",
                        "io.github.litellmcache.completion.EmbeddingVectorDeserializer");
    }
}
