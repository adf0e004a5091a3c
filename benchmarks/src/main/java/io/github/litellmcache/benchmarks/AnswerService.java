package io.github.litellmcache.benchmarks;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.Usage;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * The baseline: what an application would write without this library, a service method cached
 * with Spring's {@code @Cacheable} and the default {@code SimpleKeyGenerator} (a {@code SimpleKey}
 * of the arguments, compared by {@code equals} and {@code hashCode}).
 */
@Service
public class AnswerService {

    /** The cache that {@link #answer} uses. */
    public static final String CACHE = "answers";

    private final AtomicInteger calls = new AtomicInteger();

    /** A made-up completion, as the mock provider would answer; cached by all four arguments. */
    @Cacheable(CACHE)
    public ChatCompletion answer(String model, List<ChatMessage> messages, Double temperature, Integer maxTokens) {
        this.calls.incrementAndGet();
        String content = "This is a mock response from " + model + ".";
        int promptTokens = messages.stream()
                .mapToInt(message -> 4 + String.valueOf(message.content()).length() / 4)
                .sum();
        int completionTokens = content.length() / 4;
        return new ChatCompletion(
                "chatcmpl-mock-" + UUID.randomUUID().toString().replace("-", ""),
                System.currentTimeMillis() / 1000,
                model,
                List.of(new ChatCompletion.Choice(0, ChatMessage.assistant(content), "stop")),
                new Usage(promptTokens, completionTokens, promptTokens + completionTokens),
                null);
    }

    /** How many times {@link #answer} really ran, that is, missed the cache. */
    public int calls() {
        return this.calls.get();
    }
}
