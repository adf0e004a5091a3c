package io.github.litellmcache.cache.soak;

import io.github.litellmcache.cache.CacheOptions;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.testsupport.OpenAiFake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * The distinct requests of a soak: each has a prompt and embedding inputs of its own, and cache options that vary
 * with its number (none, a short TTL, an {@code s-maxage}, another namespace, {@code no-cache}, combinations), so that
 * entries expire, are refused as too old and are bypassed while the load runs. Every prompt and input is told apart
 * by the fake's echo: a completion ends with {@code " to " + prompt} (prompts have the same length, so none is the
 * end of another) and every input has a {@linkplain OpenAiFake#vectorOf vector} no other input has.
 */
record SoakRequests(List<Subject> subjects) {

    /** One distinct request, as a chat request and as an embedding request with the same options. */
    record Subject(String prompt, List<String> inputs, ChatCompletionRequest chat, EmbeddingRequest embedding) {}

    static SoakRequests of(int count) {
        List<Subject> subjects =
                IntStream.range(0, count).mapToObj(SoakRequests::subject).toList();
        Set<List<Float>> vectors = new HashSet<>();
        subjects.forEach(subject -> subject.inputs().forEach(input -> {
            if (!vectors.add(OpenAiFake.vectorOf(input))) {
                throw new IllegalStateException("two soak inputs share a vector: change the inputs' text");
            }
        }));
        return new SoakRequests(subjects);
    }

    Subject get(int index) {
        return this.subjects.get(index);
    }

    int size() {
        return this.subjects.size();
    }

    private static Subject subject(int n) {
        String prompt = String.format(Locale.ROOT, "soak prompt %03d", n);
        List<String> inputs = new ArrayList<>();
        for (int item = 0; item <= n % 3; item++) {
            inputs.add("soak input " + n + "." + item + " " + "x".repeat(n));
        }
        CacheOptions options = options(n);
        ChatCompletionRequest chat = ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .message(ChatMessage.user(prompt))
                .cache(options)
                .build();
        EmbeddingRequest embedding = EmbeddingRequest.builder()
                .model("text-embedding-3-small")
                .input(inputs)
                .cache(options)
                .build();
        return new Subject(prompt, List.copyOf(inputs), chat, embedding);
    }

    private static @Nullable CacheOptions options(int n) {
        return switch (n % 10) {
            case 1 -> CacheOptions.builder().ttl(Duration.ofSeconds(2)).build();
            case 2 -> CacheOptions.builder().sMaxAge(Duration.ofSeconds(1)).build();
            case 3 -> CacheOptions.builder().namespace("tenant-a").build();
            case 4 -> CacheOptions.builder().noCache(true).build();
            case 6 ->
                CacheOptions.builder()
                        .ttl(Duration.ofSeconds(5))
                        .namespace("tenant-b")
                        .build();
            case 7 ->
                CacheOptions.builder()
                        .ttl(Duration.ofSeconds(10))
                        .sMaxAge(Duration.ofSeconds(3))
                        .build();
            case 8 -> CacheOptions.builder().namespace("tenant-b").build();
            case 9 -> CacheOptions.builder().ttl(Duration.ofSeconds(1)).build();
            default -> null;
        };
    }
}
