package io.github.litellmcache.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An OpenAI-compatible endpoint ({@code POST /v1/chat/completions}, {@code POST /v1/embeddings},
 * {@code GET /v1/models}) served through the cached {@code CompletionService}, for OpenAI's own
 * clients as they are. By default every call is answered by the built-in mock provider, so the
 * application needs no account and no network.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
