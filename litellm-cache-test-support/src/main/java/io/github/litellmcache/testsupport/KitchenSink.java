package io.github.litellmcache.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answers of {@link OpenAiFake#kitchenSink()}: every field of OpenAI's chat completion and chunk
 * objects ({@code logprobs} with {@code top_logprobs}, {@code refusal}, {@code annotations},
 * {@code audio}, usage details, {@code service_tier}, {@code system_fingerprint},
 * {@code obfuscation}), DeepSeek's {@code reasoning_content}, and unknown nested fields at each
 * level, in the order OpenAI writes them. Written as JSON text, with nulls where OpenAI sends them.
 */
final class KitchenSink {

    static final String REASONING = "The user asks; I answer.";

    static final String REFUSAL = "I cannot share the secret part.";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private KitchenSink() {}

    static String completion(int n, JsonNode body, String question) {
        String content = "answer " + n + " to " + question;
        Map<String, Object> message = object(
                "role",
                "assistant",
                "content",
                content,
                "refusal",
                REFUSAL,
                "annotations",
                List.of(annotation()),
                "audio",
                object(
                        "id",
                        "audio_" + n,
                        "data",
                        "UklGRiQAAABXQVZF",
                        "expires_at",
                        1_700_003_600L,
                        "transcript",
                        content),
                "reasoning_content",
                REASONING,
                "x_vendor_trace",
                object("spans", List.of(object("name", "decode", "ms", 12.5)), "sampled", true));
        Map<String, Object> choice = object(
                "index",
                0,
                "message",
                message,
                "logprobs",
                object("content", tokens(content), "refusal", null),
                "finish_reason",
                "stop",
                "x_choice_rank",
                object("rank", 1, "scores", List.of(0.5, 0.25)));
        return JSON.writeValueAsString(object(
                "id",
                "chatcmpl-sink-" + n,
                "object",
                "chat.completion",
                "created",
                1_700_000_000L + n,
                "model",
                body.path("model").asString(),
                "choices",
                List.of(choice),
                "usage",
                usage(n),
                "service_tier",
                "default",
                "system_fingerprint",
                "fp_sink",
                "x_provider",
                provider()));
    }

    /**
     * The chunks of a stream: the role, the reasoning in two pieces, one chunk per word with its
     * {@code logprobs}, the refusal in two pieces, the annotations, the finish reason, and when asked
     * the usage; every chunk but the last carries {@code "usage": null} when usage is asked for.
     */
    static List<String> chunks(int n, JsonNode body, String question, boolean includeUsage) {
        String id = "chatcmpl-sink-" + n;
        String model = body.path("model").asString();
        List<String> chunks = new ArrayList<>();
        chunks.add(chunk(
                id, model, object("role", "assistant", "content", "", "refusal", null), null, null, includeUsage));
        int half = REASONING.indexOf(';') + 1;
        chunks.add(
                chunk(id, model, object("reasoning_content", REASONING.substring(0, half)), null, null, includeUsage));
        chunks.add(chunk(id, model, object("reasoning_content", REASONING.substring(half)), null, null, includeUsage));
        for (String word : ("answer " + n + " to " + question).split("(?<= )")) {
            chunks.add(chunk(
                    id,
                    model,
                    object("content", word),
                    object("content", tokens(word), "refusal", null),
                    null,
                    includeUsage));
        }
        int refusalHalf = REFUSAL.indexOf(' ') + 1;
        chunks.add(chunk(id, model, object("refusal", REFUSAL.substring(0, refusalHalf)), null, null, includeUsage));
        chunks.add(chunk(id, model, object("refusal", REFUSAL.substring(refusalHalf)), null, null, includeUsage));
        chunks.add(chunk(id, model, object("annotations", List.of(annotation())), null, null, includeUsage));
        chunks.add(chunk(id, model, object(), null, "stop", includeUsage));
        if (includeUsage) {
            Map<String, Object> last = head(id, model);
            last.put("choices", List.of());
            last.put("usage", usage(n));
            last.put("obfuscation", "Zz");
            chunks.add(JSON.writeValueAsString(last));
        }
        return chunks;
    }

    static String embeddings(int n, JsonNode body) {
        List<Map<String, Object>> data = new ArrayList<>();
        JsonNode input = body.path("input");
        for (int i = 0; i < input.size(); i++) {
            data.add(object(
                    "object",
                    "embedding",
                    "index",
                    i,
                    "embedding",
                    OpenAiFake.vectorOf(OpenAiFake.itemText(input.get(i))),
                    "x_norm",
                    object("l2", 1.0, "clipped", false)));
        }
        return JSON.writeValueAsString(object(
                "object",
                "list",
                "id",
                "emb-sink-" + n,
                "data",
                data,
                "model",
                body.path("model").asString(),
                "usage",
                object("prompt_tokens", 3 * input.size(), "total_tokens", 3 * input.size()),
                "x_provider",
                provider()));
    }

    private static String chunk(
            String id,
            String model,
            Map<String, Object> delta,
            Map<String, Object> logprobs,
            String finishReason,
            boolean includeUsage) {
        Map<String, Object> chunk = head(id, model);
        chunk.put(
                "choices",
                List.of(object("index", 0, "delta", delta, "logprobs", logprobs, "finish_reason", finishReason)));
        if (includeUsage) {
            chunk.put("usage", null);
        }
        chunk.put("obfuscation", "Zz");
        return JSON.writeValueAsString(chunk);
    }

    private static Map<String, Object> head(String id, String model) {
        return object(
                "id",
                id,
                "object",
                "chat.completion.chunk",
                "created",
                1_700_000_000L,
                "model",
                model,
                "service_tier",
                "default",
                "system_fingerprint",
                "fp_sink",
                "x_provider",
                provider());
    }

    private static Map<String, Object> usage(int n) {
        return object(
                "prompt_tokens",
                10,
                "completion_tokens",
                n,
                "total_tokens",
                10 + n,
                "prompt_tokens_details",
                object("cached_tokens", 4, "audio_tokens", 0),
                "completion_tokens_details",
                object(
                        "reasoning_tokens", 7,
                        "audio_tokens", 0,
                        "accepted_prediction_tokens", 0,
                        "rejected_prediction_tokens", 0),
                "x_billing",
                object("units", List.of(1, 2), "currency", null));
    }

    /** A token with its log probability, bytes and two alternatives, for each word of {@code text}. */
    private static List<Map<String, Object>> tokens(String text) {
        List<Map<String, Object>> tokens = new ArrayList<>();
        for (String word : text.split("(?<= )")) {
            tokens.add(object(
                    "token",
                    word,
                    "logprob",
                    -0.0012,
                    "bytes",
                    bytes(word),
                    "top_logprobs",
                    List.of(
                            object("token", word, "logprob", -0.0012, "bytes", bytes(word)),
                            object("token", "other", "logprob", -6.75, "bytes", bytes("other")))));
        }
        return tokens;
    }

    private static List<Integer> bytes(String text) {
        List<Integer> bytes = new ArrayList<>();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
        return bytes;
    }

    private static Map<String, Object> annotation() {
        return object(
                "type",
                "url_citation",
                "url_citation",
                object("end_index", 6, "start_index", 0, "title", "Caches", "url", "https://example.com/caches"));
    }

    private static Map<String, Object> provider() {
        return object("region", "eu-west", "nested", object("list", List.of(1, object("deep", true)), "none", null));
    }

    /** An object with {@code keysAndValues} in order, nulls allowed. */
    private static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            object.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return object;
    }
}
