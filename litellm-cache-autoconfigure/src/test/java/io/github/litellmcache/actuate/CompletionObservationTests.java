package io.github.litellmcache.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Each call is a {@code litellm.completion} observation whose low-cardinality key values tell a hit
 * from a miss, so that Boot's tracing shows cache hits as spans.
 */
class CompletionObservationTests extends AbstractCachedApplicationTests {

    private static final String OBSERVATION = "litellm.completion";

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withUserConfiguration(ObservationConfiguration.class);

    private static Map<String, String> keyValues(Observation.Context context) {
        return StreamSupport.stream(context.getLowCardinalityKeyValues().spliterator(), false)
                .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }

    @Test
    void missAndHitAreObservedWithTheirKeyValues() {
        this.contextRunner.run(context -> {
            CompletionService service = context.getBean(CompletionService.class);
            TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
            ChatCompletionRequest request = ChatCompletionRequest.of("gpt-4o-mini", List.of(ChatMessage.user("hi")));
            service.completion(request);
            service.acompletion(request).block();

            TestObservationRegistryAssert.assertThat(registry)
                    .hasObservationWithNameEqualTo(OBSERVATION)
                    .that()
                    .hasBeenStarted()
                    .hasBeenStopped()
                    .backToTestObservationRegistry()
                    .hasNumberOfObservationsWithNameEqualTo(OBSERVATION, 2)
                    .hasHandledContextsThatSatisfy(contexts -> {
                        assertThat(contexts).hasSize(2);
                        assertThat(keyValues(contexts.get(0)))
                                .containsExactlyInAnyOrderEntriesOf(Map.of(
                                        "call.type", "completion",
                                        "provider", "openai",
                                        "cache.hit", "false",
                                        "cache.backend", "local"));
                        assertThat(keyValues(contexts.get(1)))
                                .containsExactlyInAnyOrderEntriesOf(Map.of(
                                        "call.type", "acompletion",
                                        "provider", "openai",
                                        "cache.hit", "true",
                                        "cache.backend", "local"));
                    });
        });
    }

    @Test
    void bypassedEmbeddingIsObservedWithoutABackend() {
        this.contextRunner
                .withPropertyValues(
                        "litellm.azure.api-base=" + this.provider.root(),
                        "litellm.azure.api-version=2024-10-21",
                        "litellm.azure.api-key=azure-key")
                .run(context -> {
                    CompletionService service = context.getBean(CompletionService.class);
                    TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
                    service.embedding(EmbeddingRequest.builder()
                            .model("azure/embeddings")
                            .input("x")
                            .caching(false)
                            .build());

                    TestObservationRegistryAssert.assertThat(registry)
                            .hasHandledContextsThatSatisfy(contexts -> assertThat(keyValues(contexts.get(0)))
                                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                                            "call.type", "embedding",
                                            "provider", "azure",
                                            "cache.hit", "false",
                                            "cache.backend", "none")));
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class ObservationConfiguration {

        @Bean
        TestObservationRegistry testObservationRegistry() {
            return TestObservationRegistry.create();
        }
    }
}
