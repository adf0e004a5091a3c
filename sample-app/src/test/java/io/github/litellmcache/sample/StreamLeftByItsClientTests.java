package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A client that goes away in the middle of a streamed answer cancels the provider's stream: the
 * provider is not left sending to nobody, and nothing partial is stored (the same question asked
 * again is answered by the provider, not by the cache).
 */
class StreamLeftByItsClientTests extends SampleApplicationOnProviderFake {

    @Test
    void aClientLeavingAStreamCancelsTheProvidersStreamAndNothingPartialIsStored() throws Exception {
        provider.chunkInterval(Duration.ofMillis(500));
        String prompt = "Tell me slowly " + UUID.randomUUID();
        int before = provider.requestCount();

        try (Socket client = new Socket("127.0.0.1", this.port)) {
            client.setSoTimeout(10_000);
            byte[] body = ("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                            + prompt + "\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            OutputStream out = client.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder head = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("data:")) {
                head.append(line).append('\n');
            }
            assertThat(line).as(head.toString()).startsWith("data:");
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> provider.cancelledStreams() == 1);
        provider.chunkInterval(Duration.ZERO);
        SampleClients.post(SampleClients.web(this.port), "/v1/chat/completions", SampleClients.chat(prompt));
        assertThat(provider.requestCount() - before).isEqualTo(2);
    }
}
