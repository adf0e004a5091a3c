package io.github.litellmcache.benchmarks;

import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic chat text for the benchmarks: a system prompt and alternating user and assistant
 * messages of prose with punctuation, quotes and line breaks, as prompts have.
 */
final class Conversations {

    static final String MODEL = "gpt-4o-mini";

    static final double TEMPERATURE = 0.2;

    static final int MAX_TOKENS = 256;

    private static final String[] WORDS = {
        "the",
        "cache",
        "request",
        "model",
        "answer",
        "token",
        "latency",
        "provider",
        "stream",
        "prompt",
        "a",
        "of",
        "and",
        "to",
        "in",
        "is",
        "for",
        "that",
        "with",
        "on",
        "customer",
        "invoice",
        "order",
        "shipping",
        "refund",
        "policy",
        "account",
        "please",
        "summarize",
        "explain",
        "why",
        "how",
        "when",
        "Spring",
        "Boot",
        "Caffeine",
        "Redis",
        "bucket",
        "namespace",
        "embedding",
        "vector",
        "document",
    };

    private Conversations() {}

    /**
     * The texts of a system prompt and {@code turns} alternating user and assistant messages, about
     * {@code totalChars} characters in all.
     */
    static List<String> texts(int turns, int totalChars, long seed) {
        Random random = new Random(seed);
        int each = totalChars / (turns + 1);
        List<String> texts = new ArrayList<>(turns + 1);
        for (int i = 0; i <= turns; i++) {
            texts.add(prose(random, each));
        }
        return List.copyOf(texts);
    }

    /** The messages of {@code texts}: the first as the system prompt, then user and assistant in turn. */
    static List<ChatMessage> messages(List<String> texts) {
        List<ChatMessage> messages = new ArrayList<>(texts.size());
        messages.add(ChatMessage.system(texts.get(0)));
        for (int i = 1; i < texts.size(); i++) {
            messages.add((i % 2 == 1) ? ChatMessage.user(texts.get(i)) : ChatMessage.assistant(texts.get(i)));
        }
        return messages;
    }

    /** The request of the hit benchmarks: these messages, a temperature and max_tokens. */
    static ChatCompletionRequest request(List<String> texts) {
        return requestBuilder(texts).build();
    }

    static ChatCompletionRequest.Builder requestBuilder(List<String> texts) {
        ChatCompletionRequest.Builder builder =
                ChatCompletionRequest.builder().model(MODEL).message(ChatMessage.system(texts.get(0)));
        for (int i = 1; i < texts.size(); i++) {
            builder.message((i % 2 == 1) ? ChatMessage.user(texts.get(i)) : ChatMessage.assistant(texts.get(i)));
        }
        return builder.temperature(TEMPERATURE).maxTokens(MAX_TOKENS);
    }

    /** The number of characters of message text in {@code texts}. */
    static int length(List<String> texts) {
        return texts.stream().mapToInt(String::length).sum();
    }

    private static String prose(Random random, int chars) {
        StringBuilder text = new StringBuilder(chars + 16);
        int sentence = 0;
        while (text.length() < chars) {
            String word = WORDS[random.nextInt(WORDS.length)];
            if (sentence == 0) {
                text.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
            } else {
                text.append(' ').append(word);
            }
            sentence++;
            if (sentence > 6 && random.nextInt(5) == 0) {
                int end = random.nextInt(8);
                text.append(end == 0 ? "?" : (end == 1 ? ": \"quoted\"." : "."));
                text.append(random.nextInt(4) == 0 ? "\n" : " ");
                sentence = 0;
            }
        }
        text.setLength(chars);
        return text.toString();
    }
}
