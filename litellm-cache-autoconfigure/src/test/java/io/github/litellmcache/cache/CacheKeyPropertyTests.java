package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.ProviderEndpoint;
import io.github.litellmcache.completion.ProviderRouter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Properties of the default key over many random requests (a seeded {@link Random}, so a failure
 * repeats): a random change to any parameter sent to the provider changes the key; the order of
 * parameters and of map entries, the API key, metadata and the timeout never do.
 */
class CacheKeyPropertyTests {

    private static final long SEED = 20_261_201L;

    private static final int RUNS = 400;

    private static final List<String> ROLES = List.of("system", "user", "assistant");

    private final ProviderRouter router = new ProviderRouter(
            new ProviderEndpoint("https://api.openai.com/v1", "sk-configured", null),
            new ProviderEndpoint("https://example.openai.azure.com", "azure-key", "2024-10-21"));

    /** Keys the requests as first built. */
    private final DefaultCacheKeyGenerator original = new DefaultCacheKeyGenerator(this.router);

    /** Keys their variants, so that a variant's key is computed rather than remembered from the original. */
    private final DefaultCacheKeyGenerator variants = new DefaultCacheKeyGenerator(this.router);

    private final Random random = new Random(SEED);

    @Test
    void aRandomChangeToAnyParameterChangesTheKey() {
        for (int run = 0; run < RUNS; run++) {
            boolean chat = this.random.nextBoolean();
            Map<String, Object> params = chat ? chatParams() : embeddingParams();
            Map<String, Object> changed = new LinkedHashMap<>(params);
            String name = pick(new ArrayList<>(changed.keySet()));
            changed.put(name, change(changed.get(name)));

            assertThat(key(this.variants, chat, changed, false))
                    .as("run %d: changing %s", run, name)
                    .isNotEqualTo(key(this.original, chat, params, false));
        }
    }

    @Test
    void reorderingMapsAndChangingTheApiKeyMetadataOrTimeoutKeepTheKey() {
        for (int run = 0; run < RUNS; run++) {
            boolean chat = this.random.nextBoolean();
            Map<String, Object> params = chat ? chatParams() : embeddingParams();

            assertThat(key(this.variants, chat, shuffled(params), true))
                    .as("run %d", run)
                    .isEqualTo(key(this.original, chat, params, false));
        }
    }

    /** The key of a chat request; for an embedding request, its key and the item key of a fixed item. */
    private String key(DefaultCacheKeyGenerator generator, boolean chat, Map<String, Object> params, boolean options) {
        if (chat) {
            return generator.generateKey(CallType.COMPLETION, chat(params, options));
        }
        EmbeddingRequest request = embedding(params, options);
        return generator.generateKey(CallType.EMBEDDING, request) + " "
                + generator.itemKeys(CallType.EMBEDDING, request).apply("item");
    }

    @SuppressWarnings("unchecked")
    private ChatCompletionRequest chat(Map<String, Object> params, boolean options) {
        ChatCompletionRequest.Builder builder = ChatCompletionRequest.builder();
        params.forEach((name, value) -> {
            if (name.equals("messages")) {
                builder.messages((List<ChatMessage>) value);
            } else {
                builder.param(name, value);
            }
        });
        if (options) {
            Options random = options();
            builder.apiKey(random.apiKey()).metadata(random.metadata()).timeout(random.timeout());
        }
        return builder.build();
    }

    private EmbeddingRequest embedding(Map<String, Object> params, boolean options) {
        EmbeddingRequest.Builder builder = EmbeddingRequest.builder();
        params.forEach(builder::param);
        if (options) {
            Options random = options();
            builder.apiKey(random.apiKey()).metadata(random.metadata()).timeout(random.timeout());
        }
        return builder.build();
    }

    /** Random options that are never sent to the provider. */
    private Options options() {
        return new Options(
                "sk-" + this.random.nextInt(),
                Map.of("trace", text(), "tenant", this.random.nextInt(10)),
                Duration.ofMillis(1 + this.random.nextInt(60_000)));
    }

    private record Options(String apiKey, Map<String, Object> metadata, Duration timeout) {}

    private Map<String, Object> chatParams() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("model", pick(List.of("gpt-4o-mini", "gpt-4o", "azure/gpt-4o-mini")));
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0, n = 1 + this.random.nextInt(4); i < n; i++) {
            messages.add(message());
        }
        params.put("messages", messages);
        maybe(params, "temperature", () -> this.random.nextInt(20) / 10.0);
        maybe(params, "max_tokens", () -> 1 + this.random.nextInt(4_000));
        maybe(params, "seed", () -> this.random.nextLong());
        maybe(params, "stop", () -> List.of(text(), text()));
        maybe(params, "user", this::text);
        maybe(params, "logit_bias", () -> Map.of(String.valueOf(this.random.nextInt(50_000)), -100));
        maybe(
                params,
                "response_format",
                () -> Map.of(
                        "type",
                        "json_schema",
                        "json_schema",
                        Map.of("name", text(), "strict", this.random.nextBoolean(), "schema", schema())));
        maybe(
                params,
                "tools",
                () -> List.of(Map.of("type", "function", "function", Map.of("name", text(), "parameters", schema()))));
        return params;
    }

    private Map<String, Object> embeddingParams() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("model", pick(List.of("text-embedding-3-small", "text-embedding-3-large")));
        params.put("input", List.of(text(), text()));
        maybe(params, "dimensions", () -> 64 * (1 + this.random.nextInt(8)));
        maybe(params, "encoding_format", () -> pick(List.of("float", "base64")));
        maybe(params, "user", this::text);
        return params;
    }

    private ChatMessage message() {
        ChatMessage message = this.random.nextBoolean()
                ? ChatMessage.of(pick(ROLES), text())
                : ChatMessage.multiPart("user", List.of(Map.of("type", "text", "text", text())));
        if (this.random.nextInt(4) == 0) {
            message = message.withToolCalls(List.of(Map.of(
                    "id",
                    "call_" + this.random.nextInt(100),
                    "function",
                    Map.of("name", text(), "arguments", "{\"q\":\"" + text() + "\"}"))));
        }
        return message;
    }

    private Map<String, Object> schema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0, n = 1 + this.random.nextInt(3); i < n; i++) {
            properties.put("p" + i, Map.of("type", pick(List.of("string", "number", "boolean"))));
        }
        return Map.of("type", "object", "properties", properties);
    }

    /** {@code value} changed at one random place, deep inside it if it is a list, map or message. */
    @SuppressWarnings("unchecked")
    private Object change(Object value) {
        if (value instanceof String text) {
            return text + (char) ('a' + this.random.nextInt(26));
        }
        if (value instanceof Integer number) {
            return number + 1 + this.random.nextInt(5);
        }
        if (value instanceof Long number) {
            return number + 1 + this.random.nextInt(5);
        }
        if (value instanceof Double number) {
            return number + 0.5;
        }
        if (value instanceof Boolean flag) {
            return !flag;
        }
        if (value instanceof ChatMessage message) {
            return changeMessage(message);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list);
            if (copy.isEmpty() || this.random.nextInt(4) == 0) {
                copy.add(copy.isEmpty() ? text() : copy.get(0));
            } else {
                int index = this.random.nextInt(copy.size());
                copy.set(index, change(copy.get(index)));
            }
            return copy;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) map);
            if (copy.isEmpty() || this.random.nextInt(4) == 0) {
                copy.put("added_" + copy.size(), text());
            } else {
                String name = pick(new ArrayList<>(copy.keySet()));
                copy.put(name, change(copy.get(name)));
            }
            return copy;
        }
        throw new IllegalStateException("no change for " + value.getClass());
    }

    @SuppressWarnings("unchecked")
    private ChatMessage changeMessage(ChatMessage message) {
        return switch (this.random.nextInt(3)) {
            case 0 -> message.withName(text());
            case 1 ->
                (message.contentParts() != null)
                        ? ChatMessage.multiPart(
                                        message.role(), (List<Map<String, Object>>) change(message.contentParts()))
                                .withToolCalls(message.toolCalls())
                        : ChatMessage.of(
                                        message.role(),
                                        change(message.content()).toString())
                                .withToolCalls(message.toolCalls());
            default ->
                ChatMessage.of(message.role().equals("user") ? "assistant" : "user", message.content())
                        .withToolCalls(message.toolCalls());
        };
    }

    /** {@code value} with the entries of every map in it in a random order. */
    @SuppressWarnings("unchecked")
    private <T> T shuffled(T value) {
        if (value instanceof Map<?, ?> map) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
            Collections.shuffle(entries, this.random);
            Map<Object, Object> copy = new LinkedHashMap<>();
            entries.forEach(entry -> copy.put(entry.getKey(), shuffled(entry.getValue())));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            return (T) list.stream().map(this::shuffled).toList();
        }
        if (value instanceof ChatMessage message && message.contentParts() != null) {
            return (T) ChatMessage.multiPart(message.role(), shuffled(message.contentParts()))
                    .withName(message.name())
                    .withToolCalls(shuffled(message.toolCalls()));
        }
        if (value instanceof ChatMessage message) {
            return (T) message.withToolCalls(shuffled(message.toolCalls()));
        }
        return value;
    }

    private void maybe(Map<String, Object> params, String name, Supplier<Object> value) {
        if (this.random.nextBoolean()) {
            params.put(name, value.get());
        }
    }

    private String text() {
        int length = 1 + this.random.nextInt(12);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (' ' + this.random.nextInt(95)));
        }
        return text.toString();
    }

    private <T> T pick(List<T> values) {
        return values.get(this.random.nextInt(values.size()));
    }
}
