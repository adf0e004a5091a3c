package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bodies an attacker sends, generated from a fixed seed so that a failure can be replayed: wrong
 * types in every field, deep nesting, huge strings and numbers, numbers no double holds, invalid
 * UTF-8, unknown fields, extreme cache options, missing or null parts, broken JSON. Whatever arrives,
 * the answer is never a 5xx and never shows a stack trace or a Java class name, every 4xx has
 * OpenAI's error shape, and a body far over the size limit is refused without being held in memory.
 */
@TestPropertySource(properties = "litellm.cache.type=local")
@ExtendWith(OutputCaptureExtension.class)
class HostileRequestBodiesTests extends SampleApplicationOnMockProvider {

    private static final long SEED = 0x5EED_11L;

    private static final int BODIES_PER_ENDPOINT = 200;

    private static final Pattern JAVA_NAME = Pattern.compile(
            "(?:java|javax|jdk|sun|tools\\.jackson|com\\.fasterxml|org\\.springframework|reactor|io\\.netty|io\\.github)"
                    + "\\.[a-z]|\\b[A-Z][A-Za-z]{0,60}(?:Exception|Error)\\b|\\tat |\\.java:\\d");

    private static final JsonMapper json = JsonMapper.builder().build();

    private static final List<String> CHAT_FIELDS = List.of(
            "model",
            "messages",
            "temperature",
            "top_p",
            "n",
            "max_tokens",
            "stop",
            "presence_penalty",
            "frequency_penalty",
            "logit_bias",
            "seed",
            "user",
            "response_format",
            "tools",
            "tool_choice",
            "stream",
            "stream_options",
            "caching",
            "cache",
            "mock_response");

    private static final List<String> MESSAGE_FIELDS = List.of("role", "content", "name", "tool_calls", "tool_call_id");

    private static final List<String> EMBEDDING_FIELDS =
            List.of("model", "input", "dimensions", "encoding_format", "user", "caching", "cache");

    private static final List<String> CACHE_FIELDS =
            List.of("no-cache", "no-store", "ttl", "s-maxage", "namespace", "max-age");

    private static final String MARK = "Hostile";

    @Test
    void generatedChatBodiesAreNeverAServerErrorNorShowJavaInternals(CapturedOutput output) {
        Random random = new Random(SEED);
        for (int i = 0; i < BODIES_PER_ENDPOINT; i++) {
            Map<String, Object> body = new LinkedHashMap<>(SampleEndpoint.chat("gpt-4o-mini", MARK + " " + i));
            mutate(random, body, CHAT_FIELDS, true);
            assertAnsweredSafely(SampleEndpoint.CHAT, i, encode(random, body));
        }
        assertThat(output.getAll()).doesNotContain("Unexpected failure").doesNotContain("\tat ");
    }

    @Test
    void generatedEmbeddingBodiesAreNeverAServerErrorNorShowJavaInternals(CapturedOutput output) {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < BODIES_PER_ENDPOINT; i++) {
            Map<String, Object> body =
                    new LinkedHashMap<>(Map.of("model", "text-embedding-3-small", "input", MARK + " " + i));
            mutate(random, body, EMBEDDING_FIELDS, false);
            assertAnsweredSafely(SampleEndpoint.EMBEDDINGS, i, encode(random, body));
        }
        assertThat(output.getAll()).doesNotContain("Unexpected failure").doesNotContain("\tat ");
    }

    @Test
    void aBodyOf100MegabytesWithItsLengthIsRefusedBeforeItIsRead() throws Exception {
        assertRefusedWithinBoundedHeap(true);
    }

    @Test
    void aBodyOf100MegabytesWithoutALengthIsRefusedOnceOverTheLimit() throws Exception {
        assertRefusedWithinBoundedHeap(false);
    }

    /**
     * Sends the body with the JDK's client, which keeps nothing of what it sends (WebTestClient records
     * request bodies), so that the heap measured is the application's.
     */
    private void assertRefusedWithinBoundedHeap(boolean declareLength) throws Exception {
        byte[] prefix = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
                .getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"}]}".getBytes(StandardCharsets.UTF_8);
        long filler = 100L * 1024 * 1024;
        Supplier<InputStream> body = () -> new SequenceInputStream(Collections.enumeration(
                List.of(new ByteArrayInputStream(prefix), new Filler(filler), new ByteArrayInputStream(suffix))));
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofInputStream(body);
        if (declareLength) {
            publisher = HttpRequest.BodyPublishers.fromPublisher(publisher, prefix.length + filler + suffix.length);
        }
        long before = usedHeapAfterGc();

        HttpResponse<String> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + SampleEndpoint.CHAT))
                                .header("Content-Type", "application/json")
                                .POST(publisher)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE.value());
        assertThat(response.body()).contains("sample.limits.max-body-size");
        assertThat(usedHeapAfterGc() - before)
                .as("heap grown by a refused body of 100MB")
                .isLessThan(16L * 1024 * 1024);
    }

    /** {@code length} bytes of {@code a}, made as they are read. */
    private static final class Filler extends InputStream {

        private long remaining;

        Filler(long length) {
            this.remaining = length;
        }

        @Override
        public int read() {
            if (this.remaining == 0) {
                return -1;
            }
            this.remaining--;
            return 'a';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (this.remaining == 0) {
                return -1;
            }
            int count = (int) Math.min(length, this.remaining);
            Arrays.fill(buffer, offset, offset + count, (byte) 'a');
            this.remaining -= count;
            return count;
        }
    }

    private void assertAnsweredSafely(String path, int index, byte[] body) {
        EntityExchangeResult<String> result = this.endpoint.post(path, body);
        String described = "body #" + index + " to " + path + ": "
                + new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        String answer = String.valueOf(result.getResponseBody());
        assertThat(result.getStatus().is5xxServerError())
                .as(described + " answered " + answer)
                .isFalse();
        assertThat(JAVA_NAME.matcher(answer).find())
                .as(described + " answered " + answer)
                .isFalse();
        if (result.getStatus().is4xxClientError()) {
            SampleEndpoint.error(result);
        }
    }

    private static void mutate(Random random, Map<String, Object> body, List<String> fields, boolean chat) {
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            switch (random.nextInt(6)) {
                case 0 -> body.put(pick(random, fields), hostileValue(random, 0));
                case 1 -> body.remove(pick(random, fields));
                case 2 -> body.put("cache", cacheOptions(random));
                case 3 -> body.put(unknownFieldName(random), hostileValue(random, 0));
                case 4 -> body.put(chat ? "messages" : "input", chat ? messages(random) : inputs(random));
                default -> body.put(pick(random, fields), null);
            }
        }
    }

    private static Object messages(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> List.of();
            case 1 -> Collections.nCopies(1 + random.nextInt(3000), Map.of("role", "user", "content", "x"));
            case 2 -> Arrays.asList(null, 1, "x", List.of());
            default -> {
                Map<String, Object> message = new LinkedHashMap<>(Map.of("role", "user", "content", MARK));
                message.put(pick(random, MESSAGE_FIELDS), hostileValue(random, 0));
                yield List.of(message);
            }
        };
    }

    private static Object inputs(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> List.of();
            case 1 -> Collections.nCopies(1 + random.nextInt(3000), "x");
            case 2 -> Arrays.asList(MARK, null, 1, List.of("nested"));
            case 3 -> Arrays.asList(List.of(1, 2), List.of(), null, List.of(-1), List.of(1.5), List.of(MARK));
            case 4 -> Arrays.asList(7, -1, 1e300, Long.MAX_VALUE, null, List.of(1));
            default -> hostileValue(random, 0);
        };
    }

    private static Map<String, Object> cacheOptions(Random random) {
        Map<String, Object> cache = new LinkedHashMap<>();
        String field = pick(random, CACHE_FIELDS);
        cache.put(
                field,
                switch (random.nextInt(5)) {
                    case 0 -> new Raw("1e16");
                    case 1 -> "n".repeat(1_000);
                    case 2 -> pick(random, List.of("a:b", "a/b", "", " ", "tab\there", "\u0000"));
                    case 3 -> new Raw("-1");
                    default -> hostileValue(random, 0);
                });
        return cache;
    }

    private static String unknownFieldName(Random random) {
        return pick(random, List.of("metadata", "", "\u0000", "api_base", "x".repeat(60_000), "__proto__", "☃"));
    }

    private static Object hostileValue(Random random, int depth) {
        int choice = random.nextInt(24);
        return switch (choice) {
            case 0 -> true;
            case 1 -> 0;
            case 2 -> -1;
            case 3 -> Integer.MAX_VALUE;
            case 4 -> Long.MIN_VALUE;
            case 5 -> 1.5;
            case 6 -> "";
            case 7 -> pick(random, List.of("NaN", "Infinity", "-0", "1e309", "null", "true"));
            case 8 -> new Raw(pick(random, List.of("1e309", "-1e309", "-0", "-0.0", "1e-400", "1e16", "4.9e-324")));
            case 9 -> new Raw("1" + "0".repeat(random.nextInt(2_000)));
            case 10 -> new Raw("0." + "9".repeat(random.nextInt(2_000)) + "e308");
            case 11 -> List.of();
            case 12 -> Map.of();
            case 13 -> nested(random);
            case 14 -> hugeString(random);
            case 15 ->
                (depth < 3) ? Arrays.asList(hostileValue(random, depth + 1), hostileValue(random, depth + 1)) : "x";
            case 16 -> (depth < 3) ? Collections.singletonMap("type", hostileValue(random, depth + 1)) : "x";
            case 17 -> "\uD800 lone surrogate";
            case 18 -> Long.MAX_VALUE;
            case 19 -> new Raw("18446744073709551616");
            case 20 -> false;
            default -> null;
        };
    }

    private static Raw nested(Random random) {
        int depth = pick(random, List.of(10, 63, 64, 65, 500, 1_000, 100_000));
        boolean arrays = random.nextBoolean();
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        return new Raw(open.repeat(depth) + "1" + close.repeat(depth));
    }

    private static String hugeString(Random random) {
        int length = pick(random, List.of(10_000, 999_999, 1_000_001, 3_000_000, 4_200_000));
        return "z".repeat(length);
    }

    /** The body's bytes, sometimes spoiled: invalid UTF-8 in a string, cut short, or not an object at all. */
    private static byte[] encode(Random random, Map<String, Object> body) {
        byte[] bytes = write(body).getBytes(StandardCharsets.UTF_8);
        return switch (random.nextInt(12)) {
            case 0 -> invalidUtf8(random, bytes);
            case 1 -> Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 2 ->
                pick(random, List.of("", "null", "[]", "\"x\"", "1e309", "{", "}{", "{\"a\":1}{", "\uFEFF{}", "NaN"))
                        .getBytes(StandardCharsets.UTF_8);
            default -> bytes;
        };
    }

    private static byte[] invalidUtf8(Random random, byte[] bytes) {
        byte[][] invalid = {
            {(byte) 0xFF},
            {(byte) 0xC3, (byte) 0x28},
            {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}
        };
        String text = new String(bytes, StandardCharsets.UTF_8);
        int at = Math.max(0, text.indexOf(MARK));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] head = text.substring(0, at).getBytes(StandardCharsets.UTF_8);
        out.write(head, 0, head.length);
        byte[] spoiled = invalid[random.nextInt(invalid.length)];
        out.write(spoiled, 0, spoiled.length);
        byte[] tail = text.substring(at).getBytes(StandardCharsets.UTF_8);
        out.write(tail, 0, tail.length);
        return out.toByteArray();
    }

    /** JSON text of maps, lists, strings, numbers, booleans, null and {@link Raw} literals. */
    private static String write(Object value) {
        if (value instanceof Raw raw) {
            return raw.json();
        }
        if (value instanceof Map<?, ?> map) {
            List<String> fields = new ArrayList<>();
            map.forEach((name, field) -> fields.add(json.writeValueAsString(name) + ":" + write(field)));
            return "{" + String.join(",", fields) + "}";
        }
        if (value instanceof List<?> items) {
            return "["
                    + String.join(",", items.stream().map(item -> write(item)).toList()) + "]";
        }
        return json.writeValueAsString(value);
    }

    private static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            memory.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Literal JSON text, for what a map cannot hold: {@code 1e309}, {@code -0}, deep nesting. */
    private record Raw(String json) {}
}
