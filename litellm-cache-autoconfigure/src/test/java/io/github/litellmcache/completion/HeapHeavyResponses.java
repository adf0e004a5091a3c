package io.github.litellmcache.completion;

import java.util.StringJoiner;
import org.openjdk.jol.info.GraphLayout;

/**
 * Responses whose objects outweigh their JSON many times, read from JSON as a provider's are: completions and chunks
 * with {@code logprobs} (a map, a list, strings and boxed numbers per token); and the heap they really hold.
 */
public final class HeapHeavyResponses {

    static {
        // JOL finds the offsets of fields without an agent this way; attaching one, or the agent, takes seconds.
        System.setProperty("jol.magicFieldOffset", "true");
        System.setProperty("jol.skipDynamicAttach", "true");
        System.setProperty("jol.skipHotspotSAAttach", "true");
    }

    private HeapHeavyResponses() {}

    /** A completion of {@code tokens} tokens of two characters, each with its {@code logprobs}. */
    public static ChatCompletion completion(String id, int tokens) {
        StringBuilder content = new StringBuilder();
        StringJoiner logprobs = new StringJoiner(",");
        for (int i = 0; i < tokens; i++) {
            content.append(token(i));
            logprobs.add(logprob(i));
        }
        return read("""
                {"id":"%s","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},
                  "logprobs":{"content":[%s],"refusal":null},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":5,"completion_tokens":%d,"total_tokens":%d}}""".formatted(id, content, logprobs, tokens, tokens + 5), ChatCompletion.class);
    }

    /**
     * The chunk of token {@code i} of a stream, with its {@code logprobs} or without; the last of {@code tokens} ends
     * it. Even without them, a chunk holds several times its JSON: its own id, model, lists and records.
     */
    public static ChatCompletionChunk chunk(String id, int i, int tokens, boolean logprobs) {
        String finish = (i == tokens - 1) ? "\"stop\"" : "null";
        String choice = logprobs ? ",\"logprobs\":{\"content\":[" + logprob(i) + "]}" : "";
        return read("""
                {"id":"%s","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"delta":{"content":"%s"}%s,"finish_reason":%s}]}""".formatted(id, token(i), choice, finish), ChatCompletionChunk.class);
    }

    /** The length of {@code value}'s JSON. */
    public static long jsonLength(Object value) {
        return WireFormat.jsonMapper().writeValueAsBytes(value).length;
    }

    /** The heap that {@code roots} and everything they reach hold, as the running JVM lays it out. */
    public static long measuredHeap(Object... roots) {
        return GraphLayout.parseInstance(roots).totalSize();
    }

    private static String token(int i) {
        return "t" + (i % 10);
    }

    private static String logprob(int i) {
        return """
                {"token":"%s","logprob":-0.%d,"bytes":[116,%d],"top_logprobs":[{"token":"u","logprob":-1.5,"bytes":[117]}]}""".formatted(token(i), i + 1, 48 + i % 10);
    }

    private static <T> T read(String json, Class<T> type) {
        return WireFormat.jsonMapper().readValue(json, type);
    }
}
