package io.github.litellmcache.sample.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamAddressesTests {

    private final UpstreamAddresses upstreams =
            new UpstreamAddresses(List.of("https://llm-gateway.internal.example:8443/v1", "not a uri ::"));

    @Test
    void urlsAndAddressesWithTheirPortsAreHidden() {
        String message = "could not reach openai at http://10.1.2.3:8080/v1: Connection refused: /10.1.2.3:8080;"
                + " also [::1]:9000 and localhost:1234";

        assertThat(this.upstreams.hide(message))
                .isEqualTo("could not reach openai at (address hidden): Connection refused: (address hidden);"
                        + " also (address hidden) and (address hidden)");
    }

    @Test
    void hostsOfTheConfiguredApiBasesAreHiddenWithoutAScheme() {
        assertThat(this.upstreams.hide("Failed to resolve 'llm-gateway.internal.example' after 2 queries"))
                .isEqualTo("Failed to resolve '(address hidden)' after 2 queries");
    }

    @Test
    void textWithoutAddressesIsKept() {
        String message = "openai returned HTTP 400: Invalid value for 'response_format.type': gpt-3.5-turbo 1.5";

        assertThat(this.upstreams.hide(message)).isEqualTo(message);
    }
}
