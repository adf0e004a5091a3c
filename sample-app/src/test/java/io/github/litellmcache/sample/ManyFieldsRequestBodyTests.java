package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * A body well within {@code sample.limits.max-body-size} (2 MB of the default 4 MB) made of some
 * 200,000 unknown top-level fields, each passed on to the provider as a parameter. Reading it must cost
 * time in proportion to its size, as any body of that size does, so that it is answered (accepted or
 * refused) within {@link SampleEndpoint}'s 30 seconds rather than holding an event-loop thread for
 * minutes.
 */
class ManyFieldsRequestBodyTests extends SampleApplicationOnMockProvider {

    private static final int FIELDS = 200_000;

    @Test
    void aBodyOfManyUnknownFieldsWithinTheSizeLimitIsAnsweredBeforeTheClientGivesUp() {
        StringBuilder body =
                new StringBuilder("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
                        + "Many fields " + UUID.randomUUID() + "\"}]");
        for (int i = 0; i < FIELDS; i++) {
            body.append(",\"f").append(i).append("\":0");
        }
        byte[] bytes = body.append('}').toString().getBytes(StandardCharsets.UTF_8);

        EntityExchangeResult<String> result = this.endpoint.post(SampleEndpoint.CHAT, bytes);

        assertThat(bytes.length).isLessThan(4 * 1024 * 1024);
        assertThat(result.getStatus().is5xxServerError()).isFalse();
    }
}
