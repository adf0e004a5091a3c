package io.github.litellmcache.completion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Hides what a provider's error message quotes of the request's prompt (its messages' texts, or the
 * texts to embed), so that prompt text never reaches an exception's message: every run of
 * {@value #RUN} or more characters that stands in a prompt text, and every whole prompt text of
 * {@value #SHORTEST} characters or more, becomes {@value #HIDDEN}. Each run of the message is looked
 * for once, so the time grows with the prompt's length plus the message's, whatever either holds.
 */
final class PromptEcho {

    static final String HIDDEN = "(prompt text hidden)";

    static final int RUN = 16;

    static final int SHORTEST = 8;

    private PromptEcho() {}

    /**
     * The first {@code limit} characters of {@code message}, with what they quote of {@code request}'s
     * prompt hidden (a quote that runs past the limit is hidden too).
     */
    static String hidden(String message, int limit, LlmRequest request) {
        return hidden(message, limit, promptTexts(request));
    }

    /**
     * {@code body} with what its strings, decoded, quote of {@code request}'s prompt hidden in each, so
     * that a body that JSON-escapes the prompt (non-ASCII as backslash-u escapes, line breaks as
     * backslash-n) hides it too. Only the first {@code limit} characters of its strings are examined;
     * the strings after them, which stand past what is shown, are emptied.
     */
    static JsonNode hiddenInStrings(JsonNode body, int limit, LlmRequest request) {
        return hiddenInStrings(body, new int[] {limit}, promptTexts(request));
    }

    private static JsonNode hiddenInStrings(JsonNode node, int[] room, Set<String> texts) {
        if (node.isString()) {
            String shown = (room[0] > 0) ? hidden(node.asString(), room[0], texts) : "";
            room[0] -= shown.length();
            return StringNode.valueOf(shown);
        }
        if (node instanceof ObjectNode object) {
            List.copyOf(object.propertyNames())
                    .forEach(name -> object.replace(name, hiddenInStrings(object.get(name), room, texts)));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, hiddenInStrings(array.get(i), room, texts));
            }
        }
        return node;
    }

    private static String hidden(String message, int limit, Set<String> texts) {
        String examined = message.substring(0, Math.min(message.length(), limit + RUN));
        boolean[] quoted = new boolean[examined.length()];
        Map<String, List<Integer>> runs = runs(examined);
        for (String text : texts) {
            if (text.length() >= RUN) {
                markRuns(examined, runs, text, quoted);
            } else if (text.length() >= SHORTEST) {
                for (int at = examined.indexOf(text); at >= 0; at = examined.indexOf(text, at + 1)) {
                    mark(examined, quoted, at, text.length());
                }
            }
        }
        return withHidden(examined, quoted, Math.min(examined.length(), limit));
    }

    /** Where each run of {@link #RUN} characters starts in {@code message}. */
    private static Map<String, List<Integer>> runs(String message) {
        Map<String, List<Integer>> runs = new HashMap<>();
        for (int start = 0; start + RUN <= message.length(); start++) {
            runs.computeIfAbsent(message.substring(start, start + RUN), unused -> new ArrayList<>(1))
                    .add(start);
        }
        return runs;
    }

    /** Marks, and forgets, every run of {@code message} that stands somewhere in {@code text}. */
    private static void markRuns(String message, Map<String, List<Integer>> runs, String text, boolean[] quoted) {
        for (int start = 0; start + RUN <= text.length() && !runs.isEmpty(); start++) {
            List<Integer> found = runs.remove(text.substring(start, start + RUN));
            if (found != null) {
                found.forEach(at -> mark(message, quoted, at, RUN));
            }
        }
    }

    /** Marks {@code length} characters from {@code from}, widened so as not to split a surrogate pair. */
    private static void mark(String message, boolean[] quoted, int from, int length) {
        int to = from + length;
        if (from > 0 && Character.isLowSurrogate(message.charAt(from))) {
            from--;
        }
        if (to < message.length() && Character.isLowSurrogate(message.charAt(to))) {
            to++;
        }
        Arrays.fill(quoted, from, to, true);
    }

    private static String withHidden(String message, boolean[] quoted, int shown) {
        StringBuilder text = new StringBuilder(shown);
        for (int i = 0; i < shown; i++) {
            if (!quoted[i]) {
                text.append(message.charAt(i));
            } else if (i == 0 || !quoted[i - 1]) {
                text.append(HIDDEN);
            }
        }
        return text.toString();
    }

    /** The distinct texts of the request's prompt: its messages' contents and text parts, or its texts to embed. */
    private static Set<String> promptTexts(LlmRequest request) {
        Set<String> texts = new LinkedHashSet<>();
        if (request instanceof EmbeddingRequest embedding) {
            texts.addAll(embedding.input());
        } else if (request instanceof ChatCompletionRequest chat) {
            for (ChatMessage message : chat.messages()) {
                add(texts, message.content());
                if (message.contentParts() != null) {
                    message.contentParts().forEach(part -> add(texts, part.get("text")));
                }
            }
        }
        return texts;
    }

    private static void add(Set<String> texts, @Nullable Object text) {
        if (text instanceof String string) {
            texts.add(string);
        }
    }
}
