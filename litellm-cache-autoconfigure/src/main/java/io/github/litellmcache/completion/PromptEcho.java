package io.github.litellmcache.completion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Hides what a provider's error message quotes of the request's prompt (its messages' texts, or the
 * texts to embed), so that prompt text never reaches an exception's message: every run of
 * {@value #RUN} or more characters that stands in a prompt text, and every whole prompt text of
 * {@value #SHORTEST} characters or more, becomes {@value #HIDDEN}. It takes time in proportion to the
 * prompt's length and the message's, not their product (a rolling hash of the message's runs).
 */
final class PromptEcho {

    static final String HIDDEN = "(prompt text hidden)";

    static final int RUN = 16;

    static final int SHORTEST = 8;

    private static final long BASE = 1_000_003;

    /** {@code BASE} to the power {@code RUN - 1}: the weight of a run's first character in its hash. */
    private static final long FIRST_WEIGHT = power(RUN - 1);

    private PromptEcho() {}

    /** {@code message} with what it quotes of {@code request}'s prompt hidden. */
    static String hidden(String message, LlmRequest request) {
        boolean[] quoted = new boolean[message.length()];
        Map<Long, List<Integer>> runs = (message.length() >= RUN) ? runs(message) : Map.of();
        for (String text : promptTexts(request)) {
            if (text.length() >= RUN) {
                markRuns(message, runs, text, quoted);
            } else if (text.length() >= SHORTEST) {
                for (int at = message.indexOf(text); at >= 0; at = message.indexOf(text, at + 1)) {
                    mark(quoted, at, text.length());
                }
            }
        }
        return withHidden(message, quoted);
    }

    /** Where each run of {@link #RUN} characters starts in {@code message}, by the run's hash. */
    private static Map<Long, List<Integer>> runs(String message) {
        Map<Long, List<Integer>> runs = new HashMap<>();
        long hash = hash(message);
        for (int start = 0; ; start++) {
            runs.computeIfAbsent(hash, unused -> new ArrayList<>(1)).add(start);
            if (start + RUN >= message.length()) {
                return runs;
            }
            hash = rolled(hash, message.charAt(start), message.charAt(start + RUN));
        }
    }

    /** Marks every run of {@code message} that stands somewhere in {@code text}. */
    private static void markRuns(String message, Map<Long, List<Integer>> runs, String text, boolean[] quoted) {
        if (runs.isEmpty()) {
            return;
        }
        long hash = hash(text);
        for (int start = 0; ; start++) {
            List<Integer> starts = runs.get(hash);
            if (starts != null) {
                for (int at : starts) {
                    if (message.regionMatches(at, text, start, RUN)) {
                        mark(quoted, at, RUN);
                    }
                }
            }
            if (start + RUN >= text.length()) {
                return;
            }
            hash = rolled(hash, text.charAt(start), text.charAt(start + RUN));
        }
    }

    /** The hash of the first run of {@code text}. */
    private static long hash(String text) {
        long hash = 0;
        for (int i = 0; i < RUN; i++) {
            hash = hash * BASE + text.charAt(i);
        }
        return hash;
    }

    /** The hash of the run one character on: {@code leaving} drops out, {@code entering} comes in. */
    private static long rolled(long hash, char leaving, char entering) {
        return (hash - leaving * FIRST_WEIGHT) * BASE + entering;
    }

    private static long power(int exponent) {
        long power = 1;
        for (int i = 0; i < exponent; i++) {
            power *= BASE;
        }
        return power;
    }

    private static void mark(boolean[] quoted, int from, int length) {
        Arrays.fill(quoted, from, from + length, true);
    }

    private static String withHidden(String message, boolean[] quoted) {
        StringBuilder shown = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            if (!quoted[i]) {
                shown.append(message.charAt(i));
            } else if (i == 0 || !quoted[i - 1]) {
                shown.append(HIDDEN);
            }
        }
        return shown.toString();
    }

    /** The texts of the request's prompt: each message's content and text parts, or each text to embed. */
    private static List<String> promptTexts(LlmRequest request) {
        if (request instanceof EmbeddingRequest embedding) {
            return embedding.input();
        }
        List<String> texts = new ArrayList<>();
        if (request instanceof ChatCompletionRequest chat) {
            for (ChatMessage message : chat.messages()) {
                add(texts, message.content());
                if (message.contentParts() != null) {
                    message.contentParts().forEach(part -> add(texts, part.get("text")));
                }
            }
        }
        return texts;
    }

    private static void add(List<String> texts, @Nullable Object text) {
        if (text instanceof String string) {
            texts.add(string);
        }
    }
}
