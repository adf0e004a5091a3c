package io.github.litellmcache.usertests;

import static io.github.litellmcache.usertests.Answers.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** A {@code @WebFluxTest} slice of a controller: the cache's auto-configuration is not in it; the service is mocked. */
@WebFluxTest(CapitalController.class)
class ControllerSliceTests {

    @MockitoBean
    CompletionService llm;

    @Autowired
    WebTestClient client;

    @Test
    void controllerAnswersWithTheMockedService(@Autowired ApplicationContext context) {
        given(this.llm.acompletion(any(ChatCompletionRequest.class))).willReturn(Mono.just(answer("Paris")));

        this.client
                .get()
                .uri("/capital?country=France")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .isEqualTo("Paris");
        assertThat(context.getBeanNamesForType(LlmCache.class)).isEmpty();
    }
}
